"""Checks of the values a clinic's setup is made of, each failing with a message naming the field.

Why one module: the first-run page, the admin pages, the CLI and the API all enter the same
fields; each check returns the value as stored (trimmed, upper-cased, compact) or raises
:class:`RecordError` with the field's plain name and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.exceptions import ValidationError
from stdnum.us import ein

from otbill.codes import npi
from otbill.domain import addresses
from otbill.domain.clinic_setup import Address
from otbill.domain.record_errors import RecordError
from otbill.errors import InvalidCheckDigit, MalformedCode

__all__ = [
    "address_of",
    "bounded_days",
    "checked_npi",
    "clinic_username",
    "dates_in_order",
    "ein_of",
    "required",
    "taxonomy_of",
]

_TAXONOMY = re.compile(r"\d{3}[0-9A-Z]{6}X")  # NUCC: ten characters ending in X


def required(value: str | None, field: str, *, longest: int = 200) -> str:
    """``value`` trimmed; an empty or over-long value names ``field``."""
    text = (value or "").strip()
    if not text:
        raise RecordError(f"{field}: required")
    if len(text) > longest:
        raise RecordError(f"{field}: at most {longest} characters")
    return text


def clinic_username(value: str | None, field: str = "user name") -> str:
    """A clinic user's login name. A "/" is refused: it marks a billing company's linked user
    ("ACME/jo", made by a grant), whom the pages treat as the company's."""
    name = required(value, field, longest=80)
    if "/" in name:
        raise RecordError(f"{field} {name!r}: no '/' (it is kept for billing-company users)")
    return name


def checked_npi(value: str, field: str) -> str:
    """A ten-digit NPI whose Luhn check digit (with prefix 80840) is right; a wrong one raises
    the same error kind (:class:`InvalidCheckDigit`, ...) with ``field`` as the name."""
    try:
        return npi.validate(required(value, field, longest=20))
    except (MalformedCode, InvalidCheckDigit) as exc:
        raise type(exc)(field, exc.code, exc.reason) from exc


def ein_of(value: str, field: str = "tax ID (EIN)") -> str:
    """A US employer identification number, as nine digits (python-stdnum ``us.ein``)."""
    try:
        return str(ein.validate(required(value, field, longest=20)))
    except ValidationError as exc:
        raise RecordError(f"{field} {value.strip()}: {exc}") from exc


def taxonomy_of(value: str, field: str = "taxonomy code") -> str:
    code = required(value, field, longest=10).upper()
    if not _TAXONOMY.fullmatch(code):
        raise RecordError(f"{field} {code}: ten characters ending in X, such as 225X00000X")
    return code


def address_of(line1: str, city: str, state: str, zip_code: str, field: str) -> Address:
    """An address: street, city, two-letter state and a five- or nine-digit ZIP code."""
    st = addresses.state_code(required(state, f"{field} state", longest=2), field)
    digits = addresses.zip_code(required(zip_code, f"{field} ZIP code", longest=10), field)
    return Address(required(line1, f"{field} street"), required(city, f"{field} city"), st, digits)


def bounded_days(value: int | None, field: str, *, most: int = 3650) -> int | None:
    """A number of days between 1 and ``most`` (ten years), or None when not given."""
    if value is None:
        return None
    if not 1 <= value <= most:
        raise RecordError(f"{field} {value}: between 1 and {most} days")
    return value


def dates_in_order(start: dt.date | None, end: dt.date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise RecordError(f"{field} {end.isoformat()}: before the start date {start.isoformat()}")
