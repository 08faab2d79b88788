"""What a running service does, independent of HTTP: `ShippingService` quotes a cart the
one way every caller does (`rates.app.cart_quotes`), and adds around it the reloading
setup, the store, quote ids, and the replay of stored quotes (`rates.app.replays`). It
never reads the time itself: its clock is passed in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from rates.app.calibration import Calibrations
from rates.app.cart_keys import cart_key
from rates.app.cart_quotes import LiveRates, cart_request, quote_request, voice
from rates.app.checkout import Refusal, origin_location, unsupplied, with_unknown_items
from rates.app.orders import Orders, committed
from rates.app.platform_events import CheckoutCart
from rates.app.products import catalog_ids, with_products
from rates.app.receipts import Receipts
from rates.app.recent_answers import Answer, RecentAnswers, answer_key
from rates.app.reloading import ReloadingSetup, RulesStatus
from rates.app.replays import Heard, Replays, replayed
from rates.app.setup_versions import SetupVersions
from rates.app.shipment_events import ShipmentEvents
from rates.domain.errors import InvalidRequest
from rates.domain.policy import Ruleset
from rates.domain.quote.result import Quote
from rates.settings import PlatformStore
from rates.store import CartStock, OrderStatus, QuoteInputs, QuoteRecord, Store
from rates.wire.changes import document_changes
from rates.wire.jsontext import document_text
from rates.wire.products import parse_product, product_document
from rates.wire.request import parse_stock
from rates.wire.response import Detail, quote_document, stock_document


class Served(NamedTuple):
    """A stored quote as the service serves it: the domain quote, its wire document, that
    document's JSON text (as stored), the ruleset that made it, and whether it is this
    minute's answer to the same request (`rates.app.recent_answers`)."""

    quote: Quote
    document: dict[str, Any]
    text: bytes
    ruleset: Ruleset
    reused: bool = False


def new_quote_id() -> str:
    """An opaque, unguessable quote id: support reads it back, shoppers must not enumerate."""
    return "q_" + secrets.token_hex(8)


def _skus(payload: Any) -> list[str]:
    """The SKUs a request names, read before validation to fetch their stock in one query
    (a malformed payload yields what it can; validation reports the rest)."""
    lines = payload.get("lines") if isinstance(payload, dict) else None
    return [line["sku"] for line in lines or () if isinstance(line, dict)
            and isinstance(line.get("sku"), str)] if isinstance(lines, list) else []


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
    calibrations: Calibrations = field(init=False, repr=False, compare=False)
    """The lateness history windows are weighed by, counted again at every reload."""
    recent: RecentAnswers = field(default_factory=RecentAnswers, repr=False, compare=False)
    """The last answers given, for the carts a checkout asks about again."""

    def __post_init__(self) -> None:
        versions = SetupVersions(self.store, self.clock)
        object.__setattr__(self, "versions", versions)
        object.__setattr__(self, "calibrations", Calibrations(self.store, self.clock))
        # Each version is stored as it loads, not by the first quote it serves.
        versions.keep(self.reloading.current)
        self.calibrations.refresh(self.reloading.current)
        self.reloading.subscribe(self._reloaded)

    def _reloaded(self, _status: RulesStatus) -> None:
        self.versions.keep(self.reloading.current)
        self.calibrations.refresh(self.reloading.current)

    @property
    def replays(self) -> Replays:
        return Replays(self.versions, self.calibrations)

    @property
    def orders(self) -> Orders:
        return Orders(self.reloading, self.store, self.clock, self.notify, self.replays)

    @property
    def receipts(self) -> Receipts:
        return Receipts(self.reloading, self.store, self.clock)

    @property
    def shipment_events(self) -> ShipmentEvents:
        return ShipmentEvents(self.store, self.clock)

    def served_quote(self, payload: Any, *, explain: bool = False,
                     known: CartStock | None = None,
                     cart_key: str | None = None) -> Served:
        """Quote and store. The answer keeps the domain quote (a platform callback words
        its own answer from it), the document, and the JSON text that was stored, so an
        HTTP answer sends those very bytes. The record keeps what replays the quote with
        its trace (`explained_quote`): the setup version, the stock and the live answers
        it read. `known`: the stock of the cart's SKUs and its claims, when the caller
        has read them already. `cart_key` (a checkout cart's key) is stored with the
        quote, for the order placed at that checkout to find it."""
        setup = self.reloading.current  # read once: the whole quote uses one ruleset
        now = self.clock()
        stock = committed(known if known is not None
                          else self.store.cart_stock(_skus(payload)))
        heard = None if self.live_rates is None else Heard(self.live_rates)
        calibrated = self.calibrations.of(setup)
        request = cart_request(setup, payload, now=now, inventory=stock.get)
        quote_id = new_quote_id()
        version = self.versions.keep(setup)
        # A setup made in code cannot be replayed: its quotes' answers say everything.
        detail = (Detail.EXPLAIN if explain else Detail.CHECKOUT if version is not None
                  else Detail.FULL)
        locale = payload.get("locale") if isinstance(payload, dict) else None
        key = (None if explain or (heard is not None and setup.catalog.asks_live)
               else answer_key(request, locale, detail))
        answer = None if key is None else self.recent.find(key, setup, calibrated.calibration)
        if answer is not None:
            result, document, text = answer.again(quote_id, now, request.ordered_at)
        else:
            result = quote_request(setup, request, now=now, explain=explain, live=heard,
                                   calibration=calibrated.calibration)
            document = quote_document(result, quote_id, voice(setup, payload), detail=detail)
            text = document_text(document)
            if key is not None:
                self.recent.keep(key, Answer(setup, calibrated.calibration, result, document,
                                             text))
        inputs = None if version is None else QuoteInputs(
            stock, None if heard is None else heard.answers, calibrated.id)
        self.store.save_quote(QuoteRecord(quote_id, now, result.ruleset, result.reference,
                                          payload, document, served=text,
                                          cart_key=cart_key, setup=version, inputs=inputs))
        return Served(result, document, text, setup.ruleset, answer is not None)

    def checkout_quote(self, cart: CheckoutCart, *, shop: PlatformStore,
                       ordered_at: datetime | None = None) -> Served | Refusal:
        """A checkout platform's quote of `cart` for `shop` (`rates.app.checkout`),
        ordered at `ordered_at` (default: now): each item resolved through the product
        catalog (`rates.app.products`: its catalog SKU, tags and weight), sourced from the
        location at the cart's origin if one is, with items the inventory still does not
        know made whole by the shop's `unknown_items` policy; a `Refusal` instead when the
        cart cannot be quoted whole. The quote is stored with its cart key
        (`rates.app.cart_keys`), by which the order placed at that checkout finds it; one
        with units nobody can supply is stored all the same, for support."""
        locations = self.reloading.current.catalog.locations
        when = ordered_at or self.clock()
        payload = {**cart.payload, "ordered_at": when.isoformat()}
        at = origin_location(locations, *cart.origin)
        if at is not None:
            payload["origin"] = at
        payload = with_products(payload, self.store.products_for(**catalog_ids(payload)))
        known = self.store.cart_stock(_skus(payload))
        whole = with_unknown_items(payload, known.stock, policy=shop.unknown_items,
                                   location=at or next(iter(locations)))
        if isinstance(whole, Refusal):
            return whole
        served = self.served_quote(whole, known=known, cart_key=cart_key(shop.key, cart))
        return unsupplied(served.quote) or served

    def get_quote(self, quote_id: str) -> dict[str, Any] | None:
        record = self.store.get_quote(quote_id)
        return record.document if record else None

    def explained_quote(self, quote_id: str) -> dict[str, Any] | None:
        """The stored quote's document as `explain=1` gave it when it was made
        (`rates.app.replays`); one stored without what replays it (before quotes kept
        it: its document holds its trace) as stored. `SetupUnavailable` (409) when its
        setup version cannot be loaded."""
        record = self.store.get_quote(quote_id)
        if record is None:
            return None
        return replayed(record, self.replays, Detail.EXPLAIN) or record.document

    def quote_orders(self, quote_id: str) -> list[dict[str, str]]:
        """The orders that accepted an option of this quote, newest first, as {id,
        option_id, status}: which option became the order, for support."""
        return [{"id": order.id, "option_id": order.option_id, "status": str(order.status)}
                for order in self.store.find_orders(quote_id=quote_id)]

    def put_inventory(self, sku: str, payload: Any) -> dict[str, Any]:
        """Replace the stock of `sku`, recording the receipts of the lots it says arrived
        (`received_on`, as `Receipts` does: the stock stored is the document's)."""
        setup = self.reloading.current
        update = parse_stock(sku, payload, default_location=next(iter(setup.catalog.locations)))
        stock = update.stock
        known = setup.catalog.locations
        unknown = sorted({p.location for p in stock.locations} - set(known))
        problems = {}
        if unknown:
            problems["locations"] = [f"unknown location {loc!r}; known: {', '.join(known)}"
                                     for loc in unknown]
        if stock.lead_time_location is not None and stock.lead_time_location not in known:
            problems["lead_time_location"] = [
                f"unknown location {stock.lead_time_location!r}; known: {', '.join(known)}"]
        if problems:
            first = unknown[0] if unknown else stock.lead_time_location
            raise InvalidRequest(f"unknown location {first!r}", problems)
        # The lots it says arrived are recorded first: a receipt in conflict with one
        # recorded before (409) leaves the stock as it was.
        receipts = self.receipts
        checked = [(receipts.checked(stock, arrival), arrival) for arrival in update.arrivals]
        recorded = [receipts.record(receipt, arrival)[0] for receipt, arrival in checked]
        self.store.put_inventory(stock, self.clock())
        # A slipped, shrunk or cancelled lot may put promises at risk: find them now.
        self.orders.at_risk([sku])
        return {"sku": sku, **stock_document(stock),
                **({"receipts": recorded} if recorded else {})}

    def receive_lot(self, sku: str, payload: Any) -> tuple[dict[str, Any], bool]:
        return self.receipts.receive(sku, payload)

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

    def record_shipment_event(self, order_id: str,
                              payload: Any) -> tuple[dict[str, Any], bool]:
        return self.shipment_events.post(order_id, payload)

    def at_risk(self) -> dict[str, Any]:
        return self.orders.at_risk()

    def refresh_quote(self, quote_id: str) -> dict[str, Any] | None:
        """The stored quote's cart quoted again now, with today's stock and rules (as a
        new stored quote, with explain: support reads it whole), and what changed for the
        shopper, option by option."""
        record = self.store.get_quote(quote_id)
        if record is None:
            return None
        payload = {key: value for key, value in record.request.items() if key != "ordered_at"}
        document = self.served_quote(payload, explain=True).document
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
