"""The use cases the CLI and the web share, so both quote a cart the same way.

`quote_cart` is the one path from a wire request to a domain `Quote`; `ShippingService`
adds what a running service needs around it: the reloading setup, the store, and
quote ids. Neither reads the time itself: the clock is passed in, which is what lets tests
and `rates quote --at` ask "what would this cart have been quoted on Black Friday?".
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from rates.app.checkout import Refusal, origin_location, unsupplied, with_unknown_items
from rates.app.orders import Orders, committed
from rates.app.products import catalog_ids, with_products
from rates.app.reloading import ReloadingSetup
from rates.app.setup_versions import SetupVersions
from rates.domain.catalog import Carrier
from rates.domain.errors import InvalidRequest
from rates.domain.live_rates import LiveAnswer, RateRequest
from rates.domain.policy import Ruleset
from rates.domain.quote.pipeline import quote, rate_requests
from rates.domain.quote.result import Quote
from rates.domain.stock import SkuStock
from rates.loading import Setup
from rates.settings import UnknownItems
from rates.store import OrderStatus, QuoteInputs, QuoteRecord, Store
from rates.wire.changes import document_changes
from rates.wire.jsontext import document_text
from rates.wire.products import parse_product, product_document
from rates.wire.request import parse_quote_request, parse_stock
from rates.wire.response import quote_document, stock_document
from rates.wire.voice import Voice, voice_for

Inventory = Callable[[str], SkuStock | None]
LiveRates = Callable[[Sequence[RateRequest], Mapping[str, Carrier]],
                     Mapping[RateRequest, LiveAnswer]]
"""Asks live carriers the given questions under one deadline (`rates.carriers.fetch`)."""


class Served(NamedTuple):
    """A stored quote as the service serves it: the domain quote, its wire document, that
    document's JSON text (as stored), and the ruleset that made it."""

    quote: Quote
    document: dict[str, Any]
    text: bytes
    ruleset: Ruleset


def new_quote_id() -> str:
    """An opaque, unguessable quote id: support reads it back, shoppers must not enumerate."""
    return "q_" + secrets.token_hex(8)


def quote_cart(setup: Setup, payload: Any, *, now: datetime, at: datetime | None = None,
               explain: bool = False, inventory: Inventory | None = None,
               live: LiveRates | None = None) -> Quote:
    """Quote a wire request on `setup`. `at`, when given, is both the clock and the order
    instant (overriding the cart's `ordered_at`). Lines without stock are looked up in
    `inventory` (default: the setup's inventory file). Live carriers are asked through
    `live` first; without it they are priced from their fallback tables."""
    now = at or now
    try:
        request = parse_quote_request(
            payload,
            default_location=next(iter(setup.catalog.locations)),
            now=now,
            inventory=inventory or setup.inventory.get,
            limits=setup.settings.limits,
        )
    except InvalidRequest as error:
        _name_accepted_currencies(error, payload, setup.ruleset)
        raise
    if at is not None:
        request = replace(request, ordered_at=at)
    answers: Mapping[RateRequest, LiveAnswer] = {}
    if live is not None:
        asks = rate_requests(request, setup.catalog, setup.ruleset, setup.windows)
        answers = live(asks, setup.catalog.carriers) if asks else {}
    return quote(request, setup.catalog, setup.ruleset, now, explain=explain, live=answers,
                 windows=setup.windows)


def _name_accepted_currencies(error: InvalidRequest, payload: Any, ruleset: Ruleset) -> None:
    """A `currency` no ISO code this engine knows ("XYZ", "usd") is refused by the request's
    schema, which cannot know the shop; its problem becomes the one the quote gives any
    currency it does not accept, naming those it does, so a checkout hears one answer."""
    written = payload.get("currency") if isinstance(payload, dict) else None
    if isinstance(written, str) and "currency" in error.fields:
        error.fields["currency"] = [ruleset.exchange.requirement]


def voice(setup: Setup, payload: Any) -> Voice:
    """The merchant's words for the request's `locale` (absent: the shop's default)."""
    locale = payload.get("locale") if isinstance(payload, dict) else None
    return voice_for(setup.ruleset, locale if isinstance(locale, str) else None)


def _skus(payload: Any) -> list[str]:
    """The SKUs a request names, read before validation to fetch their stock in one query
    (a malformed payload yields what it can; validation reports the rest)."""
    lines = payload.get("lines") if isinstance(payload, dict) else None
    return [line["sku"] for line in lines or () if isinstance(line, dict)
            and isinstance(line.get("sku"), str)] if isinstance(lines, list) else []


class _Heard:
    """Live carriers asked through `live`, remembering their answers in the order asked:
    what a replay of the quote hears again (`QuoteInputs.live`)."""

    def __init__(self, live: LiveRates) -> None:
        self._live = live
        self.answers: tuple[LiveAnswer | None, ...] = ()

    def __call__(self, asks: Sequence[RateRequest],
                 carriers: Mapping[str, Carrier]) -> Mapping[RateRequest, LiveAnswer]:
        answers = self._live(asks, carriers)
        self.answers = tuple(answers.get(ask) for ask in asks)
        return answers


def _answering(answers: Sequence[LiveAnswer | None]) -> LiveRates:
    """Live carriers that answer what they answered for a stored quote: a replay asks the
    same questions, in the same order."""
    def ask(asks: Sequence[RateRequest],
            carriers: Mapping[str, Carrier]) -> Mapping[RateRequest, LiveAnswer]:
        return {ask: answer for ask, answer in zip(asks, answers, strict=False)
                if answer is not None}
    return ask


@dataclass(frozen=True, slots=True)
class ShippingService:
    """What the HTTP API does, independent of HTTP. `notify`: an order newly at risk puts
    an event in the webhook outbox (when a webhook is configured)."""

    reloading: ReloadingSetup
    store: Store
    clock: Callable[[], datetime]
    live_rates: LiveRates | None = None
    notify: bool = False
    versions: SetupVersions = field(init=False, repr=False, compare=False)
    """The setup versions that served this service's quotes, to replay them."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "versions", SetupVersions(self.store, self.clock))

    @property
    def orders(self) -> Orders:
        return Orders(self.reloading, self.store, self.clock, self.notify)

    def served_quote(self, payload: Any, *, explain: bool = False,
                     known: Mapping[str, SkuStock] | None = None,
                     cart_key: str | None = None) -> Served:
        """Quote and store. The answer keeps the domain quote (a platform callback words
        its own answer from it), the document, and the JSON text that was stored, so an
        HTTP answer sends those very bytes. The record keeps what replays the quote with
        its trace (`explained_quote`): the setup version, the stock and the live answers
        it read. `known`: the inventory of the cart's SKUs, when the caller has read it
        already. `cart_key` (a Shopify cart's key) is stored with the quote, for the order
        placed at that checkout to find it."""
        setup = self.reloading.current  # read once: the whole quote uses one ruleset
        now = self.clock()
        if known is None:
            known = self.store.inventory_for(_skus(payload))
        stock = committed(self.store, known)
        heard = None if self.live_rates is None else _Heard(self.live_rates)
        result = quote_cart(setup, payload, now=now, explain=explain, inventory=stock.get,
                            live=heard)
        quote_id = new_quote_id()
        document = quote_document(result, quote_id, voice(setup, payload), explain=explain)
        text = document_text(document)
        version = self.versions.keep(setup)
        inputs = None if version is None else QuoteInputs(
            stock, None if heard is None else heard.answers)
        self.store.save_quote(QuoteRecord(quote_id, now, result.ruleset, result.reference,
                                          payload, document, served=text,
                                          cart_key=cart_key, setup=version, inputs=inputs))
        return Served(result, document, text, setup.ruleset)

    def checkout_quote(self, payload: dict[str, Any], *, unknown_items: UnknownItems,
                       origin: tuple[str | None, str | None],
                       cart_key: str | None = None) -> Served | Refusal:
        """A checkout platform's quote (`rates.app.checkout`): each item resolved through
        the product catalog (`rates.app.products`: its catalog SKU, tags and weight),
        sourced from the location at `origin` (country, postcode) if one is, with items
        the inventory still does not know made whole by `unknown_items`; a `Refusal`
        instead when the cart cannot be quoted whole. A quote with units nobody can
        supply is stored all the same, for support; `cart_key` as in `served_quote`."""
        locations = self.reloading.current.catalog.locations
        at = origin_location(locations, *origin)
        if at is not None:
            payload = {**payload, "origin": at}
        payload = with_products(payload, self.store.products_for(**catalog_ids(payload)))
        known = self.store.inventory_for(_skus(payload))
        whole = with_unknown_items(payload, known, policy=unknown_items,
                                   location=at or next(iter(locations)))
        if isinstance(whole, Refusal):
            return whole
        served = self.served_quote(whole, known=known, cart_key=cart_key)
        return unsupplied(served.quote) or served

    def get_quote(self, quote_id: str) -> dict[str, Any] | None:
        record = self.store.get_quote(quote_id)
        return record.document if record else None

    def explained_quote(self, quote_id: str) -> dict[str, Any] | None:
        """The stored quote's document as `explain=1` gave it when it was made: replayed
        with explain on the setup version that served it, with the stock and live answers
        it read, at its instant. A quote stored before quotes kept those (whose document
        holds its trace) is shown as stored, as is one whose setup version the store
        lost."""
        record = self.store.get_quote(quote_id)
        if record is None:
            return None
        setup = (None if record.setup is None or record.inputs is None
                 else self.versions.setup(record.setup, record.created_at))
        if setup is None or record.inputs is None:
            return record.document
        inputs = record.inputs
        result = quote_cart(setup, record.request, now=record.created_at, explain=True,
                            inventory=inputs.stock.get,
                            live=None if inputs.live is None else _answering(inputs.live))
        return quote_document(result, record.id, voice(setup, record.request), explain=True)

    def quote_orders(self, quote_id: str) -> list[dict[str, str]]:
        """The orders that accepted an option of this quote, newest first, as {id,
        option_id, status}: which option became the order, for support."""
        return [{"id": order.id, "option_id": order.option_id, "status": str(order.status)}
                for order in self.store.find_orders(quote_id=quote_id)]

    def put_inventory(self, sku: str, payload: Any) -> dict[str, Any]:
        setup = self.reloading.current
        stock = parse_stock(sku, payload, default_location=next(iter(setup.catalog.locations)))
        unknown = sorted({p.location for p in stock.locations} - set(setup.catalog.locations))
        if unknown:
            raise InvalidRequest(f"unknown location {unknown[0]!r}", {
                "locations": [f"unknown location {loc!r}; known: "
                              f"{', '.join(setup.catalog.locations)}" for loc in unknown]})
        self.store.put_inventory(stock, self.clock())
        # A slipped, shrunk or cancelled lot may put promises at risk: find them now.
        self.orders.at_risk([sku])
        return {"sku": sku, **stock_document(stock)}

    def get_inventory(self, sku: str) -> dict[str, Any] | None:
        stock = self.store.get_inventory(sku)
        return {"sku": sku, **stock_document(stock)} if stock else None

    def put_product(self, sku: str, payload: Any) -> dict[str, Any]:
        """Replace the catalog's product of `sku` (`rates.wire.products`)."""
        product = parse_product(sku, payload)
        self.store.put_product(product, self.clock())
        return product_document(product)

    def get_product(self, sku: str) -> dict[str, Any] | None:
        found = self.store.products_for(skus=[sku])
        return product_document(found[0]) if found else None

    def place_order(self, payload: Any) -> tuple[dict[str, Any], bool]:
        return self.orders.place(payload)

    def get_order(self, order_id: str) -> dict[str, Any] | None:
        return self.orders.order(order_id)

    def close_order(self, order_id: str, status: OrderStatus) -> dict[str, Any]:
        return self.orders.close(order_id, status)

    def at_risk(self) -> dict[str, Any]:
        return self.orders.at_risk()

    def refresh_quote(self, quote_id: str) -> dict[str, Any] | None:
        """The stored quote's cart quoted again now, with today's stock and rules (as a
        new stored quote), and what changed for the shopper, option by option."""
        record = self.store.get_quote(quote_id)
        if record is None:
            return None
        payload = {key: value for key, value in record.request.items() if key != "ordered_at"}
        document = self.served_quote(payload).document
        return {"previous": quote_id, "quote": document,
                "changes": document_changes(record.document, document)}

    def search(self, text: str) -> dict[str, Any]:
        """Orders and quotes support may mean by `text`: an order id, a quote id, or a
        cart reference."""
        text = text.strip()
        if not text:
            return {"orders": [], "quotes": []}
        order = self.store.get_order(text)
        quote = self.store.get_quote(text)
        orders = {o.id: o for o in [*([order] if order else []),
                                    *self.store.find_orders(quote_id=text),
                                    *self.store.find_orders(reference=text)]}
        quotes = {q.id: q for q in [*([quote] if quote else []),
                                    *self.store.find_quotes(text)]}
        return {
            "orders": [{"id": o.id, "quote_id": o.quote_id, "reference": o.reference,
                        "status": str(o.status), "at_risk": o.at_risk,
                        "accepted_at": o.accepted_at.isoformat()} for o in orders.values()],
            "quotes": [{"id": q.id, "reference": q.reference,
                        "created_at": q.created_at.isoformat(),
                        "options": len(q.document["options"])} for q in quotes.values()],
        }

    def rules_status(self) -> dict[str, Any]:
        status = asdict(self.reloading.status)
        return {"version": status["version"],
                "loaded_at": status["loaded_at"].isoformat(),
                "last_attempt_at": status["last_attempt_at"].isoformat(),
                "errors": list(status["errors"]),
                "rules": len(self.reloading.current.ruleset.rules)}

    def reload_rules(self) -> dict[str, Any]:
        self.reloading.reload()
        return self.rules_status()
