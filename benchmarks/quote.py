"""How long one quote takes in-process, on the reference scenario (benchmarks/scenario.py).

In one process, with calls of the four kinds taken in turn so that drift (other load, clock
speed) affects each alike, prints the median and p99 of N calls of:
  (a) the domain quote alone: `rates.domain.quote.pipeline.quote()` on a parsed request,
      with the setup's window book as a server passes it (filled by the warm-up, as a
      day's first quotes fill it);
  (a0) the same with a fresh book each call: every window and its words worked out anew;
  (p) the shell path around it, without Flask: parse the JSON request, quote, build the
      wire document;
  (b) a full quote through the Flask app (`create_app`, test client): API key, JSON body,
      validation, stock from the store (in-memory SQLite), quote, storing it, the response.
      The same cart again and again, as a checkout asks while the shopper moves through it
      and the clock is fixed: after the first call, answered from this minute's answer
      (`rates.app.recent_answers`), so the quote itself is not made again;
  (b1) the same with a cart never quoted each call (as (a1)): the whole quote made;
  (b0) the same cart without its `reference`: the answer then holds a null, which is
      what makes the JSON writer look for a NaN among the document's values;
  (bf) the same app on a SQLite file, as `rates serve` keeps quotes: each commit fsynced,
      the WAL checkpointed by the store's thread (its p99 is what that thread is for);
  (r) support's look at that stored quote with its trace, `GET /v1/quotes/{id}?explain=1`:
      the quote replayed with explain on the setup version that served it;
  (c) the framework floor (benchmarks/floor_app.py) through its own test client: decode a
      JSON body of the same size, answer a constant JSON of the response's size;
and the ratios (b)/(c) and (a)/(c), and `answer bytes: N`, the size of the reference
cart's answer to a checkout (without `explain`). The clock is fixed at the cart's order
time. The header says which domain ran: compiled (mypyc) or pure Python
(rates/compiled/freshness.py).

    .venv/bin/python benchmarks/quote.py            # 1000 calls each
    .venv/bin/python benchmarks/quote.py --smoke    # 5 calls, for `make test`
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from floor_app import create_floor_app
from scenario import API_KEY, ORDERED_AT, SUPPORT_KEY, write_scenario
from timing import in_turns, p99

import rates
from rates.app.cart_quotes import quote_cart
from rates.app.quoting import ShippingService
from rates.app.reloading import ReloadingSetup
from rates.domain.quote.pipeline import quote
from rates.store import open_store
from rates.web.app import create_app
from rates.wire.request import parse_quote_request
from rates.wire.response import quote_document

DOMAIN, APP, FLOOR = ("(a) domain quote", "(b) Flask app: full quote",
                      "(c) Flask floor: JSON in, constant out")
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}


def service_app(live: ReloadingSetup, store_url: str = "sqlite:///:memory:") -> Flask:
    """The real app on `live`, as `build_app` wires it but with a fixed clock, a store
    (in memory unless told) seeded from the inventory, no rules watcher and no live
    carriers."""
    store = open_store(store_url, default_location=next(iter(live.current.catalog.locations)))
    store.seed_inventory(live.current.inventory, ORDERED_AT)
    return create_app(live.current.settings, ShippingService(live, store, lambda: ORDERED_AT),
                      environ={})


def posting(app: Flask, body: bytes | Iterator[bytes]) -> Callable[[], bytes]:
    """One POST /v1/quotes through `app`'s test client, of `body` or of the next of
    `body`'s bodies; fails unless it is a 201."""
    client = app.test_client()
    bodies = itertools.repeat(body) if isinstance(body, bytes) else body

    def post() -> bytes:
        response = client.post("/v1/quotes", data=next(bodies), headers=HEADERS)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_data()

    return post


def carts_never_quoted(cart: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """`count` variants of `cart`, each to its own Chicago postcode with one line's
    quantity raised: no two share a destination, a weight or a subtotal, so nothing a
    setup keeps per cart, destination or weight (shortlists, zones, legs, rankings) was
    worked out for any of them. What (a) saves by quoting one cart again, (a1) does not."""
    lines = cart["lines"]
    return [{**cart, "destination": {**cart["destination"], "postcode": f"60{600 + n:03d}"},
             "lines": [{**line, "quantity": line["quantity"] + 1 + n // len(lines)}
                       if i == n % len(lines) else line for i, line in enumerate(lines)]}
            for n in range(count)]


def explaining(app: Flask, quote_id: str) -> Callable[[], bytes]:
    """Support's look at a stored quote with its trace: replayed on its setup version."""
    client = app.test_client()

    def look() -> bytes:
        response = client.get(f"/v1/quotes/{quote_id}?explain=1",
                              headers={"Authorization": f"Bearer {SUPPORT_KEY}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data()

    return look


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="5 calls: checks it still works")
    args = parser.parse_args()
    runs = 5 if args.smoke else args.runs

    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder))
        live = ReloadingSetup(scenario.config, lambda: ORDERED_AT)
        payload = scenario.cart()
    setup, app = live.current, service_app(live)
    files = tempfile.TemporaryDirectory()  # removed when the process ends
    on_file = service_app(live, f"sqlite:///{Path(files.name) / 'rates.db'}")
    body = json.dumps(payload).encode()
    request = parse_quote_request(payload, default_location=next(iter(setup.catalog.locations)),
                                  now=ORDERED_AT, inventory=setup.inventory.get,
                                  limits=setup.settings.limits)
    full = posting(app, body)
    unreferenced = posting(app, json.dumps({key: value for key, value in payload.items()
                                            if key != "reference"}).encode())
    response_bytes = len(full())
    floor = posting(create_floor_app(response_bytes), body)
    replay = explaining(app, json.loads(full())["id"])

    others = carts_never_quoted(payload, runs + min(runs, 20))
    unseen = iter([parse_quote_request(cart, default_location=next(iter(setup.catalog.locations)),
                                       now=ORDERED_AT, inventory=setup.inventory.get,
                                       limits=setup.settings.limits)
                   for cart in others])
    unseen_bodies = iter([json.dumps(cart).encode() for cart in others])

    gc.freeze()  # as each `rates serve` worker does once it has loaded (rates/web/serve.py)
    samples = in_turns({
        DOMAIN: lambda: quote(request, setup.catalog, setup.ruleset, ORDERED_AT,
                              windows=setup.windows),
        "(a1) domain quote, a cart never quoted": lambda: quote(
            next(unseen), setup.catalog, setup.ruleset, ORDERED_AT, windows=setup.windows),
        "(a0) domain quote, no window book": lambda: quote(request, setup.catalog,
                                                           setup.ruleset, ORDERED_AT),
        "(p) parse + quote + wire document": lambda: quote_document(
            quote_cart(setup, payload, now=ORDERED_AT), "q_bench"),
        APP: full,
        "(b1) the same, a cart never quoted": posting(app, unseen_bodies),
        "(b0) the same, cart without a reference": unreferenced,
        "(bf) the same, on a SQLite file store": posting(on_file, body),
        "(r) support's replay: GET ?explain=1": replay,
        FLOOR: floor,
    }, runs)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"reference scenario: {len(request.lines)} lines, {len(setup.ruleset.rules)} rules, "
          f"{len(quote(request, setup.catalog, setup.ruleset, ORDERED_AT).options)} options; "
          f"request {len(body)} B, response {response_bytes} B; runs: {runs}  "
          f"python: {sys.version.split()[0]}, domain: {rates.DOMAIN}")
    print(f"{'':<42}{'median':>10}{'p99':>10}")
    for name, values in samples.items():
        print(f"{name:<42}{medians[name]:>8.0f}us{p99(values):>8.0f}us")
    print(f"answer bytes: {response_bytes}")
    print(f"ratio (b)/(c) (median): {medians[APP] / medians[FLOOR]:.2f}   "
          f"ratio (a)/(c) (median): {medians[DOMAIN] / medians[FLOOR]:.2f}")


if __name__ == "__main__":
    main()
