"""When each claim adjustment reason code (CARC) and remark code (RARC) was in force.

The full current X12 lists (CARC and RARC, as published 2026-08-17) give each code's status,
current or deactivated; the dated list (as published 2024-06-18) gives its start date and, for a
deactivated CARC, the date it stopped. ``codes/data/carc_rarc_dates.csv`` holds codes, statuses
and dates only (built by ``scripts/build_carc_rarc_dates.py``; see ``codes/data/SOURCES.md``);
the words are in :mod:`otbill.codes.carc` and :mod:`otbill.codes.rarc`.

>>> dates("CARC", "15").stop
datetime.date(2018, 5, 1)
>>> in_force("CARC", "50", dt.date(2025, 4, 1))
True
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from importlib import resources

__all__ = ["CodeDates", "dates", "in_force", "status_words"]


@dataclass(frozen=True, slots=True)
class CodeDates:
    kind: str  # CARC or RARC
    code: str
    current: bool
    start: dt.date | None
    stop: dt.date | None


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@functools.cache
def _table() -> dict[tuple[str, str], CodeDates]:
    text = resources.files("otbill.codes").joinpath("data/carc_rarc_dates.csv").read_text("utf-8")
    return {
        (r["type"], r["code"]): CodeDates(
            r["type"],
            r["code"],
            r["status"] == "current",
            _day(r["start_date"]),
            _day(r["stop_date"]),
        )
        for r in csv.DictReader(io.StringIO(text))
    }


def dates(kind: str, code: str) -> CodeDates | None:
    """The code's status and dates, or None when the lists do not have it."""
    return _table().get((kind.upper(), code.strip().upper()))


def in_force(kind: str, code: str, on: dt.date) -> bool | None:
    """Whether the code was in force on ``on`` (None: not in the lists)."""
    found = dates(kind, code)
    if found is None:
        return None
    if found.start is not None and on < found.start:
        return False
    if found.stop is not None:
        return on < found.stop
    return found.current


def status_words(kind: str, code: str, on: dt.date) -> str:
    """A short note for a code used on ``on``: empty when in force, else why not."""
    found = dates(kind, code)
    if found is None:
        return f"{kind} {code} is not in the current X12 lists"
    if in_force(kind, code, on):
        return ""
    if found.stop is not None:
        return f"{kind} {code} was deactivated on {found.stop}"
    if found.start is not None and on < found.start:
        return f"{kind} {code} took effect only on {found.start}"
    return f"{kind} {code} is deactivated in the current X12 list"
