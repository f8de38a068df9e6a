"""What the code-set modules share: reading the dated CSV tables in ``codes/data/`` and the
"in force on a date of service" test. Rows name their source and dates; a broken file is a
configuration error naming the file and line, never a finding."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from importlib import resources

from otbill.errors import ConfigError

__all__ = ["in_force", "parse_date", "read_rows"]


def parse_date(text: str) -> dt.date | None:
    """ISO date, or None for an empty cell (no known limit on that side)."""
    return dt.date.fromisoformat(text) if text else None


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Whether a row dated ``start``..``end`` (both inclusive, None = open) applies on ``on``."""
    return (start is None or start <= on) and (end is None or on <= end)


def read_rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of ``codes/data/<name>``, skipping ``#`` comment lines."""
    text = (resources.files("otbill.codes") / "data" / name).read_text(encoding="utf-8")
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line and not line.startswith("#")
    ]
    if not numbered:
        raise ConfigError(f"{name}: empty table")
    reader = csv.DictReader(line for _, line in numbered)
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        if None in row or None in row.values():
            raise ConfigError(f"{name} line {number}: wrong number of columns")
        yield number, row
