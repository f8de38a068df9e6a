"""What every owner's report is made of: a table (CSV and PDF as they are, the page with a chart),
the number of records behind each chart point, and the small-sample rule.

A month with 2 claims is not a month with 480: every chart point carries its sample size
(``samples``), and a point with fewer than :data:`SMALL_SAMPLE` records is marked as a small
sample on the chart and in the table instead of being plotted like the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from otbill.services.views.figures import Figure

__all__ = ["SMALL_SAMPLE", "Cell", "Table", "format_cell", "percentile", "plain_cell", "small"]

SMALL_SAMPLE = 30
Cell = float | int | str | None


@dataclass(frozen=True, slots=True)
class Table:
    """One report table: a label column, then ``head`` columns whose units are ``units``
    ("$" dollars, "%" percent, "n" a count, "d" days, "t" text)."""

    key: str
    title: str
    caption: str
    label: str  # the first column's heading
    head: list[str]
    units: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    chart: Figure | None = None
    samples: list[int] = field(default_factory=list)  # records behind each chart label
    empty: str | None = None

    def small(self) -> list[bool]:
        return small(self.samples)


def small(samples: Iterable[int]) -> list[bool]:
    """Which samples are too small to be read like the others."""
    return [n < SMALL_SAMPLE for n in samples]


def format_cell(value: Cell, unit: str) -> str:
    """A cell as people read it: $1,250.40, 42.5%, 1,296, 31 days."""
    if value is None:
        return "–"
    if isinstance(value, str) or unit == "t":
        return str(value)
    if unit == "$":
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "d":
        return f"{value:,.0f} days" if value != 1 else "1 day"
    return f"{value:,.0f}"


def plain_cell(value: Cell, unit: str) -> str:
    """A cell for a spreadsheet: numbers without symbols or separators (dollars to the cent)."""
    if value is None:
        return ""
    if isinstance(value, str) or unit == "t":
        return str(value)
    if unit == "$":
        return f"{value:.2f}"
    if unit == "%":
        return f"{value:.1f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value}"


def percentile(histogram: Sequence[tuple[int, int]], fraction: float) -> int | None:
    """The ``fraction`` percentile (nearest rank) of values given as (value, count) pairs."""
    ordered = sorted(histogram)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    rank = max(math.ceil(fraction * total), 1)
    seen = 0
    for value, n in ordered:
        seen += n
        if seen >= rank:
            return value
    return ordered[-1][0]
