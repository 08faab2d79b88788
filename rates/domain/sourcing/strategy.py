"""How the merchant wants the source of each unit chosen (`sourcing: {strategy}`)."""

from __future__ import annotations

from enum import StrEnum


class Strategy(StrEnum):
    """- `priority`: the locations' order in the config (the checkout's origin first),
      then fewest shipments: the engine's behaviour before strategies existed.
    - `nearest`: the same allocation with the locations ordered by distance to the
      destination (Magento's distance priority, ShipperHQ's nearest warehouse).
    - `fastest`: per plan and service, the sourcing whose units arrive earliest: latest
      delivery first, then earliest, then fewest shipments, then price.
    - `cheapest`: per plan and service, the lowest price, then as `fastest`.
    On-hand units are always taken and backorders stay within each SKU's limit, whatever
    the strategy: it only chooses among the places that can supply."""

    PRIORITY = "priority"
    NEAREST = "nearest"
    FASTEST = "fastest"
    CHEAPEST = "cheapest"

    @property
    def compares(self) -> bool:
        """Whether the strategy prices several sourcings and keeps the best per option."""
        return self in (Strategy.FASTEST, Strategy.CHEAPEST)
