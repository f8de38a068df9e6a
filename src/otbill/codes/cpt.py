"""The CPT/HCPCS catalog of therapy codes, versioned by effective date.

The table lives in ``codes/data/cpt_catalog.csv`` (see ``codes/data/SOURCES.md``): for each code, whether
it is timed (15-minute units under the 8-minute rule), untimed (one unit per day), or counted in other
time units; the disciplines whose scope it fits; whether it is an evaluation or re-evaluation; its
Medicare status; and the dates it is in force. Descriptions are our own words: CPT descriptors belong
to the AMA and are not shipped.

>>> lookup("97530").timed
True
>>> lookup("97165").evaluation
'eval'
>>> validate("97127", dt.date(2025, 2, 14))
Traceback (most recent call last):
...
otbill.errors.CodeNotEffective: CPT/HCPCS '97127': deleted; last in force 2019-12-31
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass

from otbill.codes._tables import in_force, parse_date, read_rows
from otbill.errors import CodeNotEffective, MalformedCode, UnknownCode

__all__ = [
    "Basis",
    "CodeInfo",
    "add_on_of",
    "all_codes",
    "compact",
    "describe",
    "is_valid",
    "lookup",
    "on_medicare_telehealth_list",
    "validate",
]

CODE_SET = "CPT/HCPCS"
# CPT category I (5 digits), category II/III (4 digits + F/T/U), HCPCS level II (letter + 4 digits).
_SHAPE = re.compile(r"^(?:\d{4}[0-9FTU]|[A-V]\d{4})$")


class Basis(enum.StrEnum):
    """How a code's units follow from time."""

    TIMED = "timed"  # each 15 minutes; CMS pools these under the 8-minute rule
    UNTIMED = "untimed"  # one unit per date of service, whatever the minutes
    PER_TIME = "per-time"  # other time units (hours, 20 or 30 minutes), counted per code
    OTHER = "other"  # units not from time (area, device-supply period)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One version of one code in the catalog."""

    code: str
    basis: Basis
    unit_minutes: int | None
    first_unit_minutes: int | None
    disciplines: frozenset[str]
    evaluation: str | None  # "eval", "reeval" or None
    max_units_day: int | None
    medicare_status: str | None
    effective_from: dt.date | None
    effective_to: dt.date | None
    description: str
    source: str
    # For an add-on code ("each further 15 minutes"), the family's primary code ("first 15
    # minutes"): the primary takes the day's first unit, the add-on every later one.
    add_on_to: str | None = None

    @property
    def timed(self) -> bool:
        """True for 15-minute codes, whose minutes count toward the day's total timed minutes."""
        return self.basis is Basis.TIMED

    @property
    def is_evaluation(self) -> bool:
        return self.evaluation is not None

    @property
    def medicare_bundled(self) -> bool:
        """Status B in the PFS file: Medicare never pays it separately (e.g. 97010 hot/cold packs)."""
        return self.medicare_status == "B"

    def in_scope(self, discipline: str) -> bool:
        return discipline.upper() in self.disciplines

    def effective_on(self, on: dt.date) -> bool:
        return in_force(self.effective_from, self.effective_to, on)


def compact(value: str) -> str:
    """Strip blanks and upper-case: ``" g0283 "`` -> ``"G0283"``."""
    return value.strip().upper()


def _int(text: str) -> int | None:
    return int(text) if text else None


def _parse(row: dict[str, str]) -> CodeInfo:
    return CodeInfo(
        code=row["code"],
        basis=Basis(row["basis"]),
        unit_minutes=_int(row["unit_minutes"]),
        first_unit_minutes=_int(row["first_unit_minutes"]),
        disciplines=frozenset(row["disciplines"].split(";")),
        evaluation=row["evaluation"] or None,
        max_units_day=_int(row["max_units_day"]),
        medicare_status=row["medicare_status"] or None,
        effective_from=parse_date(row["effective_from"]),
        effective_to=parse_date(row["effective_to"]),
        description=row["description"],
        source=row["source"],
        add_on_to=row["add_on_to"] or None,
    )


@functools.cache
def _catalog() -> dict[str, tuple[CodeInfo, ...]]:
    """Every version of every code, newest first (a code may be deleted and later revived)."""
    versions: dict[str, list[CodeInfo]] = {}
    for _, row in read_rows("cpt_catalog.csv"):
        info = _parse(row)
        versions.setdefault(info.code, []).append(info)
    return {
        code: tuple(sorted(infos, key=lambda i: i.effective_from or dt.date.min, reverse=True))
        for code, infos in versions.items()
    }


@functools.cache
def _telehealth() -> dict[str, tuple[tuple[dt.date | None, dt.date | None], ...]]:
    windows: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
    for _, row in read_rows("medicare_telehealth.csv"):
        windows.setdefault(row["code"], []).append(
            (parse_date(row["effective_from"]), parse_date(row["effective_to"]))
        )
    return {code: tuple(w) for code, w in windows.items()}


def _not_effective(info: CodeInfo, on: dt.date) -> CodeNotEffective:
    if info.effective_to is not None and on > info.effective_to:
        reason = f"deleted; last in force {info.effective_to.isoformat()}"
    else:
        start = info.effective_from.isoformat() if info.effective_from else "later"
        reason = f"not yet in force on {on.isoformat()}; effective from {start}"
    return CodeNotEffective(CODE_SET, info.code, reason, on)


def lookup(value: str, on: dt.date | None = None) -> CodeInfo:
    """The catalog entry for a code, in force on ``on`` when a date is given.

    Raises MalformedCode, UnknownCode or CodeNotEffective, each naming the code.
    Without a date, the newest version is returned whatever its dates.
    """
    code = compact(value)
    versions = _catalog().get(code)
    if versions is None:
        if not _SHAPE.match(code):
            raise MalformedCode(
                CODE_SET, value, "not a CPT (5 characters) or HCPCS (letter + 4) code"
            )
        raise UnknownCode(CODE_SET, code, "not in otbill's therapy code catalog")
    if on is None:
        return versions[0]
    for info in versions:
        if info.effective_on(on):
            return info
    raise _not_effective(versions[0], on)


def validate(value: str, on: dt.date | None = None) -> str:
    """The compact code when it is known (and in force on ``on``); raises otherwise."""
    return lookup(value, on).code


def is_valid(value: str, on: dt.date | None = None) -> bool:
    try:
        lookup(value, on)
    except (MalformedCode, UnknownCode, CodeNotEffective):
        return False
    return True


def describe(value: str) -> str:
    """A short description in otbill's own words."""
    return lookup(value).description


@functools.cache
def _add_ons() -> dict[str, str]:
    """Each family's primary code → its add-on code (97129 → 97130)."""
    return {
        info.add_on_to: code
        for code, versions in _catalog().items()
        for info in versions
        if info.add_on_to is not None
    }


def add_on_of(value: str) -> str | None:
    """The add-on code that bills the later units of a family's primary (97129 → 97130), or None.

    The primary ("first 15 minutes", "first 2 hours") is billed once a day; every further unit
    of the same service is its add-on ("each further 15 minutes"), never a second primary.
    """
    return _add_ons().get(compact(value))


def all_codes() -> list[CodeInfo]:
    """The newest version of every catalog code, sorted by code."""
    return [versions[0] for _, versions in sorted(_catalog().items())]


def on_medicare_telehealth_list(value: str, on: dt.date) -> bool:
    """Whether Medicare pays the code by telehealth on that date of service."""
    windows = _telehealth().get(compact(value), ())
    return any(in_force(start, end, on) for start, end in windows)
