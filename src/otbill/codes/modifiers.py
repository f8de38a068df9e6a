"""Claim-line modifiers an occupational-therapy practice meets, with category and dates.

Why: the scrubber needs to know that GO marks OT, that CO lowers payment to 85 %, which
modifiers may bypass an NCCI edit and which mark telehealth, and it must reject a modifier
used before it existed. The table lives in ``data/modifiers.csv`` (one row per modifier, with
its source and effective dates); meanings are in our own words, never AMA CPT text.

>>> validate("go")
'GO'
>>> category("XU")
'ncci_bypass'
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from otbill.codes._tables import in_force, parse_date, read_rows
from otbill.errors import CodeError, CodeNotEffective, ConfigError, MalformedCode, UnknownCode

__all__ = [
    "ASSISTANT",
    "CODE_SET",
    "DISCIPLINE",
    "LIABILITY",
    "NCCI_BYPASS",
    "REPEAT",
    "TELEHEALTH",
    "THRESHOLD",
    "Modifier",
    "category",
    "compact",
    "describe",
    "is_valid",
    "lookup",
    "validate",
]

CODE_SET = "modifier"
_SHAPE = re.compile(r"[0-9A-Z]{2}")


@dataclass(frozen=True)
class Modifier:
    """One row of ``modifiers.csv``; ``None`` dates mean "no known limit on that side"."""

    code: str
    category: str
    meaning: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: str

    def in_force(self, on: dt.date) -> bool:
        """True if the modifier may be reported for a date of service ``on``."""
        return in_force(self.effective_from, self.effective_to, on)


def compact(value: str) -> str:
    """Strip spaces and upper-case: ``" go "`` -> ``"GO"``."""
    return "".join(value.split()).upper()


def lookup(value: str) -> Modifier:
    """The table row for a modifier, ignoring dates; MalformedCode/UnknownCode otherwise."""
    mod = compact(value)
    if not _SHAPE.fullmatch(mod) or not mod.isascii():
        raise MalformedCode(CODE_SET, value, "a modifier is exactly 2 letters or digits")
    row = _table().get(mod)
    if row is None:
        raise UnknownCode(CODE_SET, mod, "not a modifier otbill knows (see data/modifiers.csv)")
    return row


def validate(value: str, on: dt.date | None = None) -> str:
    """Return the compact modifier if known and in force on ``on``; raise a CodeError otherwise."""
    row = lookup(value)
    if on is not None and not row.in_force(on):
        start = row.effective_from.isoformat() if row.effective_from else "the beginning"
        end = row.effective_to.isoformat() if row.effective_to else "now"
        raise CodeNotEffective(
            CODE_SET, row.code, f"in force from {start} to {end}, not on {on.isoformat()}", on
        )
    return row.code


def is_valid(value: str, on: dt.date | None = None) -> bool:
    """True if ``validate`` would succeed; never raises."""
    try:
        validate(value, on)
    except CodeError:
        return False
    return True


def describe(code: str) -> str:
    """Short meaning of the modifier, in our own words."""
    return lookup(code).meaning


def category(mod: str) -> str:
    """The modifier's family: discipline, threshold, assistant, ncci_bypass, telehealth, ..."""
    return lookup(mod).category


@functools.cache
def _table() -> dict[str, Modifier]:
    """Read ``modifiers.csv`` once; a broken file is a configuration error, not a finding."""
    table: dict[str, Modifier] = {}
    for line, row in read_rows("modifiers.csv"):
        try:
            mod = Modifier(
                code=row["code"],
                category=row["category"],
                meaning=row["meaning"],
                effective_from=parse_date(row["effective_from"]),
                effective_to=parse_date(row["effective_to"]),
                source=row["source"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"modifiers.csv line {line}: {exc}") from exc
        if not _SHAPE.fullmatch(mod.code) or mod.code in table or not mod.source:
            raise ConfigError(f"modifiers.csv line {line}: bad, duplicate or unsourced code")
        table[mod.code] = mod
    return table


# Fixed, definitional sets used all over the rules. They are literals (no file read at import);
# a test checks that they agree with the categories in modifiers.csv.
DISCIPLINE: frozenset[str] = frozenset({"GO", "GP", "GN"})
THRESHOLD: frozenset[str] = frozenset({"KX"})
ASSISTANT: frozenset[str] = frozenset({"CO", "CQ"})
NCCI_BYPASS: frozenset[str] = frozenset({"59", "XE", "XS", "XP", "XU"})
TELEHEALTH: frozenset[str] = frozenset({"95", "93", "GT", "FQ"})
REPEAT: frozenset[str] = frozenset({"76", "77"})
LIABILITY: frozenset[str] = frozenset({"GA", "GY", "GZ"})
