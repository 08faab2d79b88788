"""`rates serve [--port N]`: the HTTP service under gunicorn."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rates.commands.common import add_config
from rates.loading import load_setup


def register(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    add_config(parser)
    parser.add_argument("--port", type=int, help="override server.port")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rates.web.serve import serve  # gunicorn and Flask are needed only here

    setup = load_setup(args.config, today=datetime.now(UTC).date())
    server = setup.settings.server
    if args.port:
        server = replace(server, port=args.port)
    print(f"serving {args.config} on http://{server.host}:{server.port} "
          f"({server.workers} workers)", file=sys.stderr)
    serve(args.config, server, setup)
    return 0
