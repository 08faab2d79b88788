"""`rates keys new --role ROLE`: mint an API key and print the line for the config."""

from __future__ import annotations

import argparse
from typing import Any

from rates.settings import Role, hash_key, new_key


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="API keys")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    new = actions.add_parser("new", help="mint a key and print the config line")
    new.add_argument("--role", choices=[role.value for role in Role], required=True)
    new.add_argument("--name", help="a name for the key (default: the role)")
    new.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    key = new_key()
    print(f"key (give it to the client; it is not stored): {key}")
    print("add under auth.keys in the config:")
    print(f"  - {{name: {args.name or args.role}, role: {args.role}, sha256: {hash_key(key)}}}")
    return 0
