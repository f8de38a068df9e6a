"""What the therapist is told about the minutes typed, at entry, before anything is billed.

Three things a claim would otherwise hit weeks later, or that would happen without a word:

- two rows of one code are recorded as one service line (minutes added): say so, with the total;
- more units of a code than its Medically Unlikely Edit allows a day (CMS NCCI MUE, practitioner
  services table, the release in force on the visit's date; the MUE001 rule holds such a claim);
- more minutes of one timed code in a day than a person plausibly receives. The two-hour mark is
  otbill's heads-up, not a CMS rule: outpatient therapy visits are usually under an hour, and
  more than two hours of one timed service is far more often a typing slip (500 for 50) than care.

Each answer is a :class:`~otbill.services.visits.warnings.VisitWarning` the pages show beside the
units; nothing here refuses a visit (the minutes may be right, and the note must say why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from otbill.codes import cpt
from otbill.errors import CodeError
from otbill.services.visits.record import Service
from otbill.services.visits.warnings import VisitWarning

__all__ = ["PLAUSIBLE_MINUTES", "MueLookup", "entry_warnings", "merged_rows"]

PLAUSIBLE_MINUTES = 120  # of one timed code in one day (see the module docstring)
_COUNTS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}


class _Limit(Protocol):
    @property
    def max_units(self) -> int: ...


class MueLookup(Protocol):
    """The MUE table in force on a date (``refdata.dated.DatedMue``)."""

    def limit(self, code: str, on: dt.date) -> _Limit | None: ...


def merged_rows(services: Sequence[Service]) -> list[str]:
    """One sentence per code typed on more than one row: the rows become one line.

    >>> merged_rows([Service("97110", 20), Service("97530", 15), Service("97110", 18)])
    ['Two rows of 97110 were merged into one: 38 minutes.']
    """
    rows: dict[str, list[int]] = {}
    for s in services:
        rows.setdefault(cpt.compact(s.code), []).append(s.minutes)
    return [
        f"{_COUNTS.get(len(m), str(len(m)))} rows of {code} were merged into one: {sum(m)} minutes."
        for code, m in rows.items()
        if len(m) > 1
    ]


def _timed(code: str, on: dt.date | None) -> bool:
    try:
        return cpt.lookup(code, on).timed
    except CodeError:
        return False


def entry_warnings(
    services: Sequence[Service],
    units: Mapping[str, int],
    on: dt.date | None,
    mue: MueLookup | None = None,
) -> list[VisitWarning]:
    """What to tell the therapist about these rows (``units``: the units each code comes to)."""
    found = [VisitWarning("info", "entry", text) for text in merged_rows(services)]
    minutes: dict[str, int] = {}
    for s in services:
        code = cpt.compact(s.code)
        minutes[code] = minutes.get(code, 0) + s.minutes
    for code, total in minutes.items():
        limit = mue.limit(code, on) if mue is not None and on is not None else None
        count = units.get(code, 0)
        if limit is not None and count > limit.max_units:
            text = (
                f"{code}: {total} minutes come to {count} units, more than the "
                f"{limit.max_units} a day that Medicare's MUE allows (the claim would be held "
                "by MUE001). Check the minutes; if they are right, the note must show why."
            )
            found.append(VisitWarning("warning", "entry", text))
        elif total > PLAUSIBLE_MINUTES and _timed(code, on):
            text = (
                f"{code}: {total} minutes of one service in a day is more than "
                f"{PLAUSIBLE_MINUTES // 60} hours. Check the minutes."
            )
            found.append(VisitWarning("warning", "entry", text))
    return found
