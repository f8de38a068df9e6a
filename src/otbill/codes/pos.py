"""Place-of-service (POS) codes: the two-digit setting code on every 837P service line.

Why: POS decides facility versus non-facility payment and marks telehealth (02, 10); a POS
that did not exist on the date of service (10 before 2022, 27 before October 2023) is rejected.
The table lives in ``data/place_of_service.csv``, cross-checked against the X12 code list in
pyx12 (``map/codes.xml``, code source 237). A code whose meaning changed has one row per
period (POS 02 was narrowed on 2022-01-01 when POS 10 was added). Meanings are our own words.

>>> validate("11")
'11'
>>> describe("10")
'Telehealth with the patient in their home'
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from otbill.codes._tables import in_force, parse_date, read_rows
from otbill.errors import CodeError, CodeNotEffective, ConfigError, MalformedCode, UnknownCode

__all__ = [
    "CODE_SET",
    "TELEHEALTH",
    "Place",
    "compact",
    "describe",
    "is_telehealth",
    "is_valid",
    "lookup",
    "validate",
]

CODE_SET = "place of service"

#: Telehealth POS codes since 2022-01-01: 02 (patient not at home) and 10 (patient at home).
TELEHEALTH: frozenset[str] = frozenset({"02", "10"})

_SHAPE = re.compile(r"[0-9]{2}")


@dataclass(frozen=True)
class Place:
    """One row of ``place_of_service.csv``; ``None`` dates mean "no known limit on that side"."""

    code: str
    meaning: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: str

    def in_force(self, on: dt.date) -> bool:
        """True if this row's definition applies to a date of service ``on``."""
        return in_force(self.effective_from, self.effective_to, on)


def compact(value: str) -> str:
    """Strip spaces: ``" 11 "`` -> ``"11"``. Single digits are not padded; "2" is malformed."""
    return "".join(value.split())


def lookup(value: str, on: dt.date | None = None) -> Place:
    """The row defining ``value`` on ``on`` (the current row when ``on`` is None)."""
    code = compact(value)
    if not _SHAPE.fullmatch(code) or not code.isascii():
        raise MalformedCode(CODE_SET, value, "a place of service is exactly 2 digits, e.g. '11'")
    rows = _table().get(code)
    if rows is None:
        raise UnknownCode(CODE_SET, code, "not in the CMS place-of-service code set")
    if on is None:
        return rows[-1]
    for row in rows:
        if row.in_force(on):
            return row
    first = rows[0].effective_from
    since = f"in force from {first.isoformat()}" if first else "no longer in force"
    raise CodeNotEffective(CODE_SET, code, f"{since}, not on {on.isoformat()}", on)


def validate(value: str, on: dt.date | None = None) -> str:
    """Return the compact POS if it exists (on ``on``); raise a CodeError otherwise."""
    return lookup(value, on).code


def is_valid(value: str, on: dt.date | None = None) -> bool:
    """True if ``validate`` would succeed; never raises."""
    try:
        validate(value, on)
    except CodeError:
        return False
    return True


def describe(code: str, on: dt.date | None = None) -> str:
    """Short meaning, in our own words, as defined on ``on`` (current meaning by default)."""
    return lookup(code, on).meaning


def is_telehealth(code: str) -> bool:
    """True for the telehealth POS codes (02, 10); never raises."""
    return compact(code) in TELEHEALTH


def _parse_row(row: dict[str, str]) -> Place:
    return Place(
        code=row["code"],
        meaning=row["meaning"],
        effective_from=parse_date(row["effective_from"]),
        effective_to=parse_date(row["effective_to"]),
        source=row["source"],
    )


@functools.cache
def _table() -> dict[str, tuple[Place, ...]]:
    """Read the CSV once; rows of one code are kept in file order (oldest period first)."""
    table: dict[str, list[Place]] = {}
    for line, row in read_rows("place_of_service.csv"):
        try:
            place = _parse_row(row)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"place_of_service.csv line {line}: {exc}") from exc
        if not _SHAPE.fullmatch(place.code) or not place.source or not place.meaning:
            raise ConfigError(f"place_of_service.csv line {line}: bad or unsourced row")
        table.setdefault(place.code, []).append(place)
    return {code: tuple(rows) for code, rows in table.items()}
