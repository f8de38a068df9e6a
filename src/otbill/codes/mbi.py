"""Medicare Beneficiary Identifier (MBI): its format, position by position.

Why: a Medicare claim with a malformed member ID is rejected before anyone reads it; a clerk who
types an O for a 0 or keys the old SSN-based HICN learns it at registration instead.

CMS, "Understanding the Medicare Beneficiary Identifier (MBI) Format" (MBI format
specification): an MBI is 11 characters; position 1 is a digit 1-9, positions 4, 7, 10 and 11
are digits 0-9, positions 2, 5, 8 and 9 are letters, positions 3 and 6 are a letter or a digit.
The letters S, L, O, I, B and Z are never used. The dashes printed on the card (1EG4-TE5-MK73)
are not part of the MBI. The MBI has no check digit.

>>> validate("1EG4-TE5-MK73")
'1EG4TE5MK73'
>>> problem("1EG4TE5MK73") is None
True
>>> problem("1SG4TE5MK73")
'position 2 must be a letter other than S, L, O, I, B or Z'
>>> problem("1EG4TE5MK7O")
'position 11 must be a digit'
>>> problem("1EG4TE5MK7")
'an MBI is 11 characters (this has 10)'
>>> bool(PATTERN.fullmatch("1EG4TE5MK73"))
True
"""

from __future__ import annotations

import re

from otbill.errors import MalformedCode

__all__ = ["CODE_SET", "PATTERN", "POSITIONS", "compact", "is_valid", "problem", "validate"]

CODE_SET = "MBI"

_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # A-Z without S, L, O, I, B, Z
_DIGITS = "0123456789"

#: What each of the 11 positions may hold, as (kind, allowed characters), from CMS's spec.
POSITIONS: tuple[tuple[str, str], ...] = (
    ("a digit 1-9", "123456789"),
    ("a letter", _LETTERS),
    ("a letter or a digit", _LETTERS + _DIGITS),
    ("a digit", _DIGITS),
    ("a letter", _LETTERS),
    ("a letter or a digit", _LETTERS + _DIGITS),
    ("a digit", _DIGITS),
    ("a letter", _LETTERS),
    ("a letter", _LETTERS),
    ("a digit", _DIGITS),
    ("a digit", _DIGITS),
)

#: The same rules as one regular expression (payer profiles hold it as ``member_id_pattern``).
PATTERN = re.compile("".join(f"[{allowed}]" for _, allowed in POSITIONS))


def compact(value: str) -> str:
    """Upper case without the spaces and dashes printed on the card."""
    return "".join(value.split()).replace("-", "").upper()


def problem(value: str) -> str | None:
    """What is wrong with ``value`` as an MBI, in plain words, or None when it is well formed."""
    mbi = compact(value)
    if len(mbi) != len(POSITIONS):
        return f"an MBI is {len(POSITIONS)} characters (this has {len(mbi)})"
    for position, (char, (kind, allowed)) in enumerate(zip(mbi, POSITIONS, strict=True), 1):
        if char not in allowed:
            other = " other than S, L, O, I, B or Z" if "letter" in kind else ""
            return f"position {position} must be {kind}{other}"
    return None


def validate(value: str) -> str:
    """The compact MBI, or :class:`MalformedCode` saying which position is wrong."""
    reason = problem(value)
    if reason is not None:
        raise MalformedCode(CODE_SET, value, reason)
    return compact(value)


def is_valid(value: str) -> bool:
    """True if ``value`` is a well-formed MBI; never raises."""
    return problem(value) is None
