"""The lateness history a running service weighs its windows by.

The store's record of what happened is counted (`rates.app.history_counts`) at start, at
every reload and every `promise.refresh_minutes`. The counts are kept in the store under
their content address (`calibration_id`) as soon as they are built, and a quote's inputs
name the counts that weighed it: replaying the quote weighs its windows by the same
history, on the setup version that served it, so support sees the trace the shopper's
answer came from.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rates.app.history_counts import (
    calibration_id,
    observations_document,
    observations_of,
    observed,
)
from rates.app.reloading import ReloadingSetup
from rates.domain.cart import Destination
from rates.domain.catalog import Catalog
from rates.domain.confidence import Calibration
from rates.domain.errors import CalendarHorizonError
from rates.domain.lateness import Lane, LatenessModel, Observations, destination_of
from rates.domain.window import ShipmentWindow
from rates.loading import Setup
from rates.store import OrderRecord, Store
from rates.store.recurring import Recurring
from rates.wire.orders import parse_promise

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Calibrated:
    """A setup's calibration and the id of the counts it was built from (None: there is
    no history, and windows are as dated)."""

    id: str | None
    calibration: Calibration | None


NONE = Calibrated(None, None)


class Calibrations:
    """The history the serving setup weighs its windows by: counted again from the store by
    `refresh` (at start, at every reload, and every `promise.refresh_minutes`), or taken
    from the counts another worker or node kept last (`follow`); and for a replay, the
    counts a stored quote was weighed by (`stored`)."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._counted: tuple[str, Observations] | None = None
        self._current: tuple[Setup, tuple[str, Observations] | None, Calibrated] | None = None
        self._kept: dict[tuple[int, str], tuple[Setup, Calibration]] = {}

    def refresh(self, setup: Setup) -> Calibrated:
        """Count the store's history again for `setup`, keep the counts, and serve them."""
        promise = setup.settings.promise
        now = self._clock()
        found = observed(self._store, setup.catalog,
                         now.date() - timedelta(days=promise.history_days))
        counted: tuple[str, Observations] | None = None
        if found.observations:
            document = observations_document(found.observations)
            counted = (calibration_id(document), found.observations)
            self._store.save_calibration(counted[0], document, now)
        if found.skipped:
            log.info("lateness history: %d record(s) could not be counted", found.skipped)
        with self._lock:
            self._counted = counted
        return self.of(setup)

    def follow(self) -> bool:
        """Take the counts kept last in the store when they are not these: a reload
        reaches one worker, and the others weigh alike once they look. True if taken."""
        latest = self._store.latest_calibration()
        counted = self._counted
        if latest is None or (counted is not None and counted[0] == latest):
            return False
        document = self._store.get_calibration(latest)
        if document is None:
            return False
        with self._lock:
            self._counted = (latest, observations_of(document))
        return True

    def of(self, setup: Setup) -> Calibrated:
        """The calibration `setup` quotes with: the latest counts, its own target."""
        counted, current = self._counted, self._current
        if current is not None and current[0] is setup and current[1] is counted:
            return current[2]
        made = NONE if counted is None else Calibrated(counted[0],
                                                      _calibration(setup, counted[1]))
        self._current = (setup, counted, made)
        return made

    def stored(self, calibration_id: str, setup: Setup) -> Calibration | None:
        """The calibration a stored quote was weighed by, on the setup that served it;
        None when the store no longer has its counts."""
        key = (id(setup), calibration_id)
        found = self._kept.get(key)
        if found is not None and found[0] is setup:
            return found[1]
        document = self._store.get_calibration(calibration_id)
        if document is None:
            return None
        calibration = _calibration(setup, observations_of(document))
        with self._lock:
            if len(self._kept) >= 8:
                self._kept.clear()
            self._kept[key] = (setup, calibration)
        return calibration


def widened_latest(calibration: Calibration, catalog: Catalog,
                   ) -> Callable[[OrderRecord, int], date | None]:
    """What `calibration` would have made of shipment n of an order's promise: the latest
    day of its window, weighed and moved to the target. A window already weighed when it
    was promised keeps its latest day; None when it cannot be weighed (a location or
    carrier no longer configured, a pickup). For "what would a target have changed"."""
    def latest(order: OrderRecord, number: int) -> date | None:
        document = order.promise
        shipment = document["shipments"][number - 1]
        if shipment["delivery"].get("confidence") is not None:
            return date.fromisoformat(shipment["delivery"]["latest"])
        promised = parse_promise(order.id, document).shipments[number - 1]
        carrier = catalog.carriers.get(promised.carrier)
        location = catalog.locations.get(promised.location)
        if carrier is None or location is None:
            return None
        destination = order.promise["destination"]
        where = Destination(destination["country"], destination.get("region"))
        waits = tuple(dict.fromkeys((unit.supplier, unit.ready.earliest, unit.ready.latest)
                                    for unit in promised.units if unit.backordered))
        window = ShipmentWindow(promised.ready, promised.ships, promised.delivery, ())
        lane = Lane(carrier.id, document["option"]["service"], location.id,
                    destination_of(where.country, where.region))
        try:
            return calibration.window(window, waits, location, lane, promised.transit,
                                      catalog.calendars.delivery(carrier, where)).delivery.latest
        except CalendarHorizonError:
            return None
    return latest


class Recounting(Recurring):
    """Keeps a running service's history current in a thread of its own: every
    `server.reload_interval_seconds` it takes the counts another worker or node kept last
    (`Calibrations.follow`: a reload reaches one worker), and every
    `promise.refresh_minutes` it counts the store again, so receipts and deliveries
    recorded since weigh the next quotes without a reload. The service counted as it
    started, so the first pass only follows."""

    def __init__(self, calibrations: Calibrations, reloading: ReloadingSetup) -> None:
        settings = reloading.current.settings
        poll = settings.server.reload_interval_seconds
        every = max(1, math.ceil(settings.promise.refresh_minutes * 60 / poll))
        passes = itertools.count(1)

        def keep_current(_stopping: threading.Event) -> bool:
            if next(passes) % every == 0:
                calibrations.refresh(reloading.current)
            else:
                calibrations.follow()
            return False
        super().__init__("lateness-history", keep_current, poll,
                         "keeping the lateness history current failed; will try again")


def _calibration(setup: Setup, observations: Observations) -> Calibration:
    promise = setup.settings.promise
    return Calibration(LatenessModel(observations, promise.prior_observations),
                       promise.target_confidence)
