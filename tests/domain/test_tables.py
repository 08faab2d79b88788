"""A setup's tables keep what quotes work out, within a bound: keys come from carts."""

from __future__ import annotations

from rates.domain.tables import Bounded


def test_a_bounded_table_keeps_values_until_its_limit_then_starts_over():
    table: Bounded[str, int] = Bounded(2)
    assert table.keep("a", 1) == 1
    table.keep("b", 2)
    assert dict(table) == {"a": 1, "b": 2}
    table.keep("c", 3)  # a third key would pass the limit: the table empties first
    assert dict(table) == {"c": 3}
    assert table.get("a") is None
