"""Plain words for findings: a service line named by its code and date, dates as people write them.

A biller reads a finding on the held queue, the claim page and the CLI; it must say which line in
the words on the page ("line 2 (97110 on 3 Feb 2025) has no GO modifier"), never in the claim
JSON's field paths (``lines[1].modifiers``). Every rule names lines and dates through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from otbill.domain.claim import Claim

__all__ = ["day", "line", "lines", "listed", "plural"]


def day(date: dt.date) -> str:
    """``2025-02-03`` → ``3 Feb 2025``."""
    return f"{date.day} {date:%b %Y}"


def line(claim: Claim, index: int) -> str:
    """The 0-based line ``index`` as a person reads it: ``line 2 (97110 on 3 Feb 2025)``."""
    service = claim.lines[index]
    return f"line {index + 1} ({service.code.strip().upper()} on {day(service.date)})"


def lines(claim: Claim, indexes: Sequence[int]) -> str:
    """One line as :func:`line`; several lines of one code and date as ``lines 1 and 3 (...)``."""
    if len(indexes) == 1:
        return line(claim, indexes[0])
    numbers = listed([str(i + 1) for i in indexes])
    services = {(claim.lines[i].code.strip().upper(), claim.lines[i].date) for i in indexes}
    if len(services) == 1:
        code, date = next(iter(services))
        return f"lines {numbers} ({code} on {day(date)})"
    return "lines " + ", ".join(line(claim, i).removeprefix("line ") for i in indexes)


def listed(items: Sequence[str], last: str = "and") -> str:
    """``["a", "b", "c"]`` → ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def plural(n: int, word: str = "unit") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
