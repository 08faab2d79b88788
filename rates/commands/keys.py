"""`rates keys new --role ROLE`: mint an API key and print the line for the config.
`rates keys webhook-secret`: mint the secret at-risk webhooks are signed with, alone on
stdout (`export RATES_WEBHOOK_SECRET="$(rates keys webhook-secret)"`), where to put it on
stderr."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rates.settings import Role, hash_key, new_key
from rates.webhooks.secret import new_secret


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="API keys and the webhook signing secret")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    new = actions.add_parser("new", help="mint a key and print the config line")
    new.add_argument("--role", choices=[role.value for role in Role], required=True)
    new.add_argument("--name", help="a name for the key (default: the role)")
    new.set_defaults(run=run)
    webhook = actions.add_parser(
        "webhook-secret", help="mint a Standard Webhooks secret (whsec_...) for the variable "
                               "webhooks.secret_env names")
    webhook.set_defaults(run=run_webhook_secret)


def run(args: argparse.Namespace) -> int:
    key = new_key()
    print(f"key (give it to the client; it is not stored): {key}")
    print("add under auth.keys in the config:")
    print(f"  - {{name: {args.name or args.role}, role: {args.role}, sha256: {hash_key(key)}}}")
    return 0


def run_webhook_secret(args: argparse.Namespace) -> int:
    print(new_secret())
    print("set it in the variable the config's webhooks.secret_env names, where the service "
          "runs, and give the same text to the receiver (docs/webhooks.md)", file=sys.stderr)
    return 0
