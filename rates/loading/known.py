"""What the file being loaded may refer to: names defined by the files loaded before it.

Schemas are built once at import, so per-load facts reach them through marshmallow's
`Context` (a context variable), not through schema attributes. The builder sets it around
each `load`; fields read it to check references at the exact path they were written.

A `None` collection means "unknown": the file that defines those names had problems of its
own, and checking references against a partial list would only add false alarms.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from marshmallow.experimental.context import Context

from rates.domain.catalog import PICKUP_CARRIER, Location
from rates.loading.holidays import HolidayCalendarBook


@dataclass(frozen=True, slots=True)
class Known:
    book: HolidayCalendarBook
    locations: Mapping[str, Location] | None = None
    carriers: Collection[str] | None = None
    services: Mapping[str, str] | None = None
    """Service keys ("ups/ground") -> the currency the service is priced in."""
    zones: Collection[str] | None = None
    rules: Mapping[str, str] | None = None
    """Rule ids of every rules file -> the rule's action ("label", "block", ...)."""

    @property
    def named_services(self) -> Collection[str] | None:
        """What a rule or a locale's wording may name as a service: the carriers' and
        each location's pickup ("pickup/toronto")."""
        if self.services is None or self.locations is None:
            return None
        return [*self.services, *(location.pickup.service.key
                                  for location in self.locations.values() if location.pickup)]

    @property
    def named_carriers(self) -> Collection[str] | None:
        """What a rule may name as a carrier: the carrier files', and "pickup"."""
        return None if self.carriers is None else [*self.carriers, PICKUP_CARRIER]


def known() -> Known:
    """The facts set by the builder for the current load."""
    return Context[Known].get()


def loading(facts: Known) -> Context[Known]:
    """`with loading(facts): schema.load(...)`."""
    return Context(facts)
