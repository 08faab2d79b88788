"""Sourcing: from which location (on hand, a restock, the supplier) each unit of a cart
comes. `Strategy` says how the merchant wants it chosen; `candidates` finds, with bounded
work, the allocations worth pricing under `fastest` and `cheapest`; `nearest` ranks the
locations by their distance to the destination."""
