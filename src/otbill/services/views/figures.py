"""What every dashboard figure is made of: the chart record, the window of months, month helpers.

Kept apart from the figures themselves so that the clinic figures (:mod:`.dashboard`) and the
payer-answer figures (:mod:`.dashboard_payments`) both build on it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Figure",
    "Window",
    "by_month",
    "month_label",
    "percent",
    "trim_months",
]


@dataclass(frozen=True, slots=True)
class Figure:
    """One chart's data: a value per label for each series, plus the table's extra columns."""

    key: str
    title: str
    caption: str
    unit: str  # "%" (0–100), "$" or "n"
    labels: list[str] = field(default_factory=list)
    series: list[tuple[str, list[float | None]]] = field(default_factory=list)
    extra: list[tuple[str, list[str]]] = field(default_factory=list)  # preformatted columns
    empty: str | None = None  # why there is nothing to show; None when there is data


@dataclass(frozen=True, slots=True)
class Window:
    """Months by date of service: ``first`` (a 1st of month) up to, not including, ``end``."""

    first: dt.date
    end: dt.date

    @classmethod
    def ending(cls, today: dt.date, months: int = 12) -> Window:
        end = _add_months(today.replace(day=1), 1)
        return cls(_add_months(end, -months), end)

    def months(self) -> list[dt.date]:
        out, month = [], self.first
        while month < self.end:
            out.append(month)
            month = _add_months(month, 1)
        return out


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return month.strftime("%b %Y")


def by_month(rows: Iterable[Any]) -> dict[dt.date, float]:
    """(day, value) rows summed per month (keyed by the month's first day)."""
    out: dict[dt.date, float] = defaultdict(float)
    for day, value in rows:
        out[day.replace(day=1)] += float(value or 0)
    return out


def trim_months(months: list[dt.date], *totals: Mapping[dt.date, float]) -> list[dt.date]:
    """Only the months from the first to the last in which some series has something."""
    used = [i for i, m in enumerate(months) if any(t.get(m) for t in totals)]
    return months[used[0] : used[-1] + 1] if used else []


def percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
