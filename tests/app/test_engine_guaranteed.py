"""Guaranteed services through the whole engine: carriers/ups.yaml marks UPS 2nd Day Air
and Next Day Air `guaranteed: true`; a rules file may test it.

The in-stock cart (examples/carts/in_stock.json), all on hand at reno, ordered Mon Nov 23
2026 09:30 PST, before reno's 14:00 cutoff, to Reno, NV. UPS observes Thanksgiving:

    November 2026:  Mo Tu We Th Fr Sa Su
                    23 24 25 26 27 28 29      (26 Thanksgiving)

handed over [Mon 23, Tue 24] (handling 0-1), then
  Next Day Air 1-1 UPS days: Tue 24 .. Wed 25          -> "Guaranteed by Wed, Nov 25"
  2nd Day Air  2-2 UPS days: Wed 25 .. Wed 25, Fri 27  -> "Guaranteed by Fri, Nov 27"
  Ground       1-2 UPS days: Tue 24 .. Wed 25, Fri 27  -> "Arrives Nov 24 - Nov 27"
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import rates
from tests.support.project import CARTS

AT = datetime.fromisoformat("2026-11-23T09:30:00-08:00")
SURCHARGE = """\
  - id: guaranteed-surcharge
    description: What the carrier's guarantee costs us
    when: {guaranteed: true}
    adjust: "+2.00"

"""


def options(config: Path, locale: str | None = None) -> dict[str, dict[str, Any]]:
    cart = json.loads((CARTS / "in_stock.json").read_text())
    if locale:
        cart["locale"] = locale
    document = rates.load(config).quote(cart, at=AT, explain=True)
    return {option["id"]: option for option in document["options"]}


def test_a_guaranteed_service_is_quoted_as_guaranteed_by_its_last_day(example: Path) -> None:
    found = options(example)
    said = {name: (found[name]["guaranteed"],
                   {end: found[name]["delivery"][end] for end in ("earliest", "latest")},
                   found[name]["description"])
            for name in ("together/ups/next_day_air", "together/ups/2nd_day_air",
                         "together/ups/ground")}
    assert said == {
        "together/ups/next_day_air": (
            True, {"earliest": "2026-11-24", "latest": "2026-11-25"},
            "Guaranteed by Wed, Nov 25"),
        "together/ups/2nd_day_air": (
            True, {"earliest": "2026-11-25", "latest": "2026-11-27"},
            "Guaranteed by Fri, Nov 27"),
        "together/ups/ground": (
            False, {"earliest": "2026-11-24", "latest": "2026-11-27"},
            "Arrives Nov 24 - Nov 27"),
    }
    assert [s["guaranteed"] for s in found["together/ups/next_day_air"]["shipments"]] == [True]
    assert options(example, "fr")["together/ups/next_day_air"]["description"] == (
        "Livraison garantie d’ici le mer. 25 nov.")


def test_a_rule_when_guaranteed_applies_to_the_guaranteed_services_only(
        example: Path) -> None:
    before = {name: option["price"]["amount"] for name, option in options(example).items()}
    rules = example.parent / "rules" / "default.yaml"
    text = rules.read_text()
    rules.write_text(text.replace("  - id: no-oversize-by-usps\n",
                                  SURCHARGE + "  - id: no-oversize-by-usps\n", 1))
    after = options(example)
    changed = {name: (before[name], option["price"]["amount"])
               for name, option in after.items() if option["price"]["amount"] != before[name]}
    assert changed == {"together/ups/next_day_air": ("51.95", "53.95"),
                       "together/ups/2nd_day_air": ("26.95", "28.95")}
    assert {"rule": "guaranteed-surcharge", "skipped": "guaranteed is false, wanted true"} in (
        after["together/usps/priority_express"]["trace"])
