"""The Promise accuracy page's two charts, drawn on the server as SVG with matplotlib.

matplotlib is imported on the first chart drawn, never at import: quoting and `rates`
start-up do not pay for it. The same report gives the same bytes (a fixed hash salt for
the ids, no date in the metadata), and text stays text (`svg.fonttype: none`): the
browser sets it in its own sans-serif, and a screen reader or a search finds it. Colour is
never the only difference: the two lines differ in dash and marker too.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from math import ceil, nan
from typing import TYPE_CHECKING

from rates.domain.accuracy import Row, Week

if TYPE_CHECKING:  # types only: matplotlib itself is imported by the first chart
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK, MUTED, BRAND, LATE = "#1b1f24", "#4b5563", "#17324d", "#8a1c12"  # support.css's
MOST_LABELS = 13  # week labels that fit side by side; past that, every other (third...)
LABEL_INSIDE = 70  # % from which a bar's label fits inside it
WIDTH = 10.0  # inches: 720 pt, 960 CSS pixels at most (the page scales it down to fit)


@cache
def _figure_class() -> type[Figure]:
    """matplotlib's Figure, with the Agg backend and the charts' settings, on first use.
    The settings are process-wide: nothing else in this process draws."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "svg.hashsalt": "backorder-rates",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    from matplotlib.figure import Figure

    return Figure


def weekly_svg(weeks: Sequence[Week]) -> bytes:
    """Mean days from order to the promised latest date, and to the delivery, per ISO
    week of delivery: where the second line runs above the first, promises were short."""
    figure = _figure_class()(figsize=(WIDTH, 4.0), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    if weeks:
        days, promised, actual = weekly_series(weeks)
        axes.plot(days, promised, color=BRAND, linestyle="--", marker="s",
                  label="promised (order to latest date)")
        axes.plot(days, actual, color=LATE, linestyle="-", marker="o",
                  label="actual (order to delivery)")
        where = [w.monday.toordinal() for w in weeks]
        step = ceil(len(weeks) / MOST_LABELS)
        axes.set_xticks(where[::step], [f"{w.monday:%b} {w.monday.day}" for w in weeks[::step]])
        axes.set_xlim(where[0] - 4, where[-1] + 4)
        highest = max(max(w.promised_days, w.actual_days) for w in weeks)
        axes.set_ylim(0, highest * 1.1 + 1)  # room above the highest mark
        figure.legend(loc="outside upper center", ncols=2, frameon=False)
    else:
        _nothing(axes, "No delivered shipment in this period")
    axes.set_xlabel("week of delivery (Monday)")
    axes.set_ylabel("mean days")
    axes.grid(axis="y", color="#d0d7de", linewidth=0.6)
    return _svg(figure)


def weekly_series(weeks: Sequence[Week]) -> tuple[list[int], list[float], list[float]]:
    """The weeks on a time axis (each Monday's day number), not side by side, and the
    lines broken (a NaN point) where weeks without a delivery lie between two that had
    one: a line across them would show figures nobody measured."""
    days: list[int] = []
    promised: list[float] = []
    actual: list[float] = []
    for week in weeks:
        day = week.monday.toordinal()
        if days and day - days[-1] > 7:
            days.append(day - 7)
            promised.append(nan)
            actual.append(nan)
        days.append(day)
        promised.append(week.promised_days)
        actual.append(week.actual_days)
    return days, promised, actual


def suppliers_svg(rows: Sequence[Row]) -> bytes:
    """One bar per supplier: the share of its shipments delivered inside the window,
    0-100 %, each bar labelled with the share and the count it is of."""
    figure = _figure_class()(figsize=(WIDTH, 1.2 + 0.5 * max(len(rows), 1)), dpi=100,
                              layout="constrained")
    axes = figure.add_subplot()
    if rows:
        shares = [100 * (row.held.share or 0) for row in rows]
        where = range(len(rows))
        axes.barh(where, shares, color=BRAND, height=0.6)
        axes.set_yticks(list(where), [row.name for row in rows])
        axes.invert_yaxis()  # first name on top, as in the table
        for place, share, row in zip(where, shares, rows, strict=True):
            label = f"{share:.0f} % ({row.held.inside} of {row.held.shipments})"
            if share > LABEL_INSIDE:  # long bars carry their label, short ones beside
                axes.text(share - 1.5, place, label, va="center", ha="right", color="white")
            else:
                axes.text(share + 1.5, place, label, va="center", ha="left", color=INK)
    else:
        axes.set_yticks([])
        _nothing(axes, "No delivered shipment had a named supplier")
    axes.set_xlim(0, 100)
    axes.set_xticks(range(0, 101, 20), [f"{x} %" for x in range(0, 101, 20)])
    axes.set_xlabel("shipments delivered inside the promised window")
    axes.grid(axis="x", color="#d0d7de", linewidth=0.6)
    axes.set_axisbelow(True)
    return _svg(figure)


def _nothing(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center",
              color=MUTED)


def _svg(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
