"""Make a shop's carrier service and webhook subscriptions what this service needs.

Re-runnable by design: it lists what the shop has first and changes only what differs, so
running it twice changes nothing the second time, and running it after the service moved
(a new `--url`) moves the callbacks.
- The carrier service is found by its name. None: created. One whose callback URL, active
  flag or service discovery differ: updated to ours. Otherwise: left unchanged.
- Each topic of `WEBHOOK_TOPICS` is found by topic and URI. None: created. One in another
  format than JSON: updated. Otherwise: left unchanged. A subscription of the same topic
  to another URI is not ours to remove (another deployment, another tool): it is named
  in the report and left alone.

Every step is reported as an `Outcome`; a refusal (`userErrors`) fails that step only and
the others still run, so one run lists every problem. A failure of the API itself (a
token Shopify refuses, no answer) stops the run: every later request would fail alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from rates.platforms.shopify.admin import (
    MAX_PAGES,
    AdminApiError,
    CarrierService,
    GraphQL,
    Page,
    UserError,
    carrier_services_page,
    create_carrier_service,
    create_webhook_subscription,
    list_carrier_services,
    list_webhook_subscriptions,
    mutation_payload,
    route,
    update_carrier_service,
    update_webhook_subscription,
    webhook_subscriptions_page,
)

SERVICE_NAME = "Backorder Rates"
"""The carrier service's default name, which merchants see in their Shopify admin."""

WEBHOOK_TOPICS = ("ORDERS_CREATE", "ORDERS_CANCELLED", "ORDERS_FULFILLED",
                  "FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE",
                  "PRODUCTS_CREATE", "PRODUCTS_UPDATE")
"""What the service hears about: orders placed, cancelled and shipped (its promises), their
parcels shipped and delivered (what came of the promises), and products made or changed
(its inventory). Handled at `POST /shopify/{shop}/webhooks`."""

Send = Callable[[GraphQL], Mapping[str, Any]]
"""Sends one request to the shop's Admin API and returns the answer's `data`; raises
`AdminApiError` when the API did not run it (`admin.post_graphql`, bound)."""


class State(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one step did to one thing (`subject`), with the detail a person needs."""

    subject: str
    state: State
    detail: str
    errors: tuple[UserError, ...] = ()

    def lines(self) -> list[str]:
        return [f"{self.subject}: {self.state}: {self.detail}",
                *(f"  {error}" for error in self.errors)]


def register(send: Send, shop: str, base_url: str,
             name: str = SERVICE_NAME) -> Iterator[Outcome]:
    """Each step's outcome, in order: the carrier service, then each webhook topic."""
    yield _carrier_service(send, name, route(base_url, shop, "rates"))
    yield from _webhooks(send, route(base_url, shop, "webhooks"))


def _carrier_service(send: Send, name: str, callback: str) -> Outcome:
    subject = f"carrier service {name!r}"
    existing = [service for service in _all(send, list_carrier_services, carrier_services_page)
                if service.name == name]
    if not existing:
        request = create_carrier_service(name, callback)
        return _changed(send, request, "carrierService", subject, State.CREATED,
                        f"Shopify calls {callback}")
    current = existing[0]
    changes = _carrier_changes(current, callback)
    if not changes:
        return Outcome(subject, State.UNCHANGED,
                       f"already registered ({current.id}), Shopify calls {callback}")
    request = update_carrier_service(current.id, name, callback)
    return _changed(send, request, "carrierService", subject, State.UPDATED,
                    f"{current.id}: {'; '.join(changes)}")


def _carrier_changes(current: CarrierService, callback: str) -> list[str]:
    changes = []
    if current.callback_url != callback:
        changes.append(f"callback {current.callback_url or '(none)'} -> {callback}")
    if not current.active:
        changes.append("inactive -> active")
    if not current.supports_service_discovery:
        changes.append("service discovery off -> on")
    return changes


def _webhooks(send: Send, uri: str) -> Iterator[Outcome]:
    subscriptions = list(_all(send, lambda after: list_webhook_subscriptions(
        WEBHOOK_TOPICS, after), webhook_subscriptions_page))
    for topic in WEBHOOK_TOPICS:
        subject = f"webhook {topic}"
        of_topic = [found for found in subscriptions if found.topic == topic]
        elsewhere = [found.uri for found in of_topic if found.uri != uri]
        also = f" (also delivered to {', '.join(elsewhere)}: left alone)" if elsewhere else ""
        ours = next((found for found in of_topic if found.uri == uri), None)
        if ours is None:
            yield _changed(send, create_webhook_subscription(topic, uri), "webhookSubscription",
                           subject, State.CREATED, f"-> {uri}{also}")
        elif ours.format != "JSON":
            yield _changed(send, update_webhook_subscription(ours.id, uri),
                           "webhookSubscription", subject, State.UPDATED,
                           f"{ours.id}: format {ours.format} -> JSON{also}")
        else:
            yield Outcome(subject, State.UNCHANGED,
                          f"already registered ({ours.id}) -> {uri}{also}")


def _changed(send: Send, request: GraphQL, node: str, subject: str, state: State,
             detail: str) -> Outcome:
    """Send a mutation: `state` with `detail` if Shopify made the change, else FAILED with
    its userErrors."""
    payload = mutation_payload(send(request), request, node)
    if payload.user_errors or payload.node is None:
        return Outcome(subject, State.FAILED, f"Shopify refused {request.root}",
                       payload.user_errors)
    made = payload.node.get("id")
    return Outcome(subject, state, f"{detail} ({made})" if state is State.CREATED else detail)


T = TypeVar("T")


def _all(send: Send, request: Callable[[str | None], GraphQL],
         read: Callable[[Mapping[str, Any]], Page[T]]) -> list[T]:
    """Every item of a paginated list, page by page."""
    found: list[T] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = read(send(request(after)))
        found.extend(page.items)
        if page.next_cursor is None:
            return found
        after = page.next_cursor
    raise AdminApiError(f"the Admin API listed more than {MAX_PAGES} pages: stopped")
