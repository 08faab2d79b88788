"""backorder-rates: shipping rates and delivery windows for carts that mix in-stock and
backordered items.

The public Python API (see `rates.app.engine`):

    import rates
    engine = rates.load("config.example.yaml")
    document = engine.quote(cart, at=instant)   # what `rates quote CART --json` prints
    problems = engine.check()                   # what `rates check` reports

`load` and `Engine` are imported on first use: `import rates.domain.money` must not pull
in YAML, marshmallow and babel, which the pure domain never needs.

`DOMAIN` says which domain runs: "compiled (mypyc)" when `make install` compiled it from
the sources as they are now, else "pure Python (why not)" (rates/compiled/freshness.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rates.compiled.freshness import activate

if TYPE_CHECKING:
    from rates.app.engine import Engine, load

__all__ = ["DOMAIN", "Engine", "load"]

DOMAIN = activate(__path__)


def __getattr__(name: str) -> Any:
    if name in __all__:
        from rates.app import engine
        return getattr(engine, name)
    raise AttributeError(f"module 'rates' has no attribute {name!r}")
