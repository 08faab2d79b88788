"""Live rate protocols by name: a carrier file's `live: {protocol: ...}` picks one here.

The names are `rates.domain.live_rates.PROTOCOLS`, which the carrier file schema accepts; a test
keeps the two equal, so no carrier can name a protocol without an adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from rates.carriers.adapter import Adapter
from rates.carriers.easypost import EasyPost
from rates.carriers.generic import GenericJson

ADAPTERS: Mapping[str, Adapter] = MappingProxyType({
    "generic": GenericJson(),
    "easypost": EasyPost(),
})
