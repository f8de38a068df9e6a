"""Element values as typed data: money as Decimal, counts as int, CCYYMMDD dates as ``datetime.date``.

Every number an X12 reader takes from a file passes through here, and only here, so its size and
format are bounded in one place (X12 5010 TR3 appendix A.1.3.1.3, data element types): an R
(decimal) element is ASCII digits with an optional leading minus and decimal point, in common
notation (no exponent), and an N0 element is ASCII digits only; otbill caps both at
:data:`R_MAX_DIGITS` digits. ``9e999999`` (a million-digit number), ``²`` or ``１２`` (digits
that ``str.isdigit`` accepts and ``int`` does not) are refused here with the element named, before
any arithmetic can overflow or hang.

A value that is not what its element must hold raises :class:`X12Error` naming the segment
position, ID and element, and quoting the value: the caller decides whether that refuses the file
(835 money) or only the claim it belongs to (837).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters, Segment

__all__ = [
    "AMOUNTS",
    "R_MAX_DIGITS",
    "R_MAX_WHOLE_DIGITS",
    "amount_at",
    "decimal_or_none",
    "n0_of",
    "optional_amount",
    "optional_d8",
    "optional_n0",
    "parse_amount",
    "parse_d8",
    "parse_n0",
    "read_amount",
]

R_MAX_DIGITS = 18
"""The most digits an R or N0 element may hold (the TR3's longest numeric element, R 1/18)."""

R_MAX_WHOLE_DIGITS = 10
"""The most digits an R element may hold before its decimal point. The TR3 (A.1.3.1.3) caps a
monetary amount (element 782) at 10 digits counting its cents; otbill allows 10 before the point,
so that no amount, nor a file's sum of them, overflows the 64-bit cents columns it is posted to."""

_R = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII)
_N0 = re.compile(r"[0-9]+", re.ASCII)

_ZERO = Decimal(0)
_DELIMITERS = Delimiters()
_CACHE_SIZE = 8192

AMOUNTS: dict[str, Decimal] = {}
"""Element text → its Decimal, for every amount already read: a Decimal is immutable, and a file
repeats the same few amounts (``5``, ``45.00``) many thousand times. Bounded by clearing."""


def decimal_or_none(text: str) -> Decimal | None:
    """``text`` as a Decimal when it is an R value of at most :data:`R_MAX_DIGITS` digits, at most
    :data:`R_MAX_WHOLE_DIGITS` of them (leading zeros aside) before the decimal point."""
    if _R.fullmatch(text) is None or len(text) - text.count("-") - text.count(".") > R_MAX_DIGITS:
        return None
    if len(text.partition(".")[0].lstrip("-0")) > R_MAX_WHOLE_DIGITS:  # leading zeros pad
        return None
    return Decimal(text)


def _not_a_number(text: str, kind: str) -> str:
    shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}… ({len(text)} characters)"
    if not (_R if kind == "a number" else _N0).fullmatch(text):
        return f"{shown} is not {kind}"
    if len(text) - text.count("-") - text.count(".") > R_MAX_DIGITS:
        return f"{shown} has more than {R_MAX_DIGITS} digits"
    return f"{shown} has more than {R_MAX_WHOLE_DIGITS} digits before the decimal point"


def parse_amount(seg: Segment, n: int, *, required: bool = True) -> Decimal:
    """Element ``n`` as a Decimal R value; a value that is not one makes the element unreadable."""
    elements = seg.elements
    text = elements[n] if n < len(elements) else ""
    if text:
        value = decimal_or_none(text)
        if value is not None:
            return value
        raise X12Error(
            _not_a_number(text, "a number"),
            position=seg.position,
            segment_id=seg.id,
            element=f"{seg.id}{n:02d}",
        )
    if required:
        raise X12Error(
            "is empty, expected an amount",
            position=seg.position,
            segment_id=seg.id,
            element=f"{seg.id}{n:02d}",
        )
    return _ZERO


def amount_at(elements: list[str], n: int, position: int, *, required: bool = True) -> Decimal:
    """:func:`parse_amount` on a segment's bare elements, from :data:`AMOUNTS` when it can be."""
    text = elements[n] if n < len(elements) else ""
    value = AMOUNTS.get(text)
    return read_amount(elements, n, position, required=required) if value is None else value


def read_amount(elements: list[str], n: int, position: int, *, required: bool = True) -> Decimal:
    """The uncached path of :func:`amount_at`: parse, remember, or raise what parse_amount raises."""
    text = elements[n] if n < len(elements) else ""
    value = decimal_or_none(text) if text else None
    if value is not None:
        if len(AMOUNTS) >= _CACHE_SIZE:
            AMOUNTS.clear()
        AMOUNTS[text] = value
        return value
    return parse_amount(Segment(position, elements, _DELIMITERS), n, required=required)


def parse_n0(seg: Segment, n: int) -> int:
    """Element ``n`` as an N0 count: ASCII digits only, at most :data:`R_MAX_DIGITS` of them."""
    return n0_of(seg.el(n), seg, n)


def n0_of(text: str, seg: Segment, n: int) -> int:
    """``text``, element ``n`` of ``seg`` or one of its components, as an N0 count."""
    if _N0.fullmatch(text) is None or len(text) > R_MAX_DIGITS:
        raise X12Error(
            _not_a_number(text, "a whole number"),
            position=seg.position,
            segment_id=seg.id,
            element=f"{seg.id}{n:02d}",
        )
    return int(text)


def optional_n0(seg: Segment, n: int) -> int | None:
    """Element ``n`` as an N0 count, or None when the element is absent."""
    return parse_n0(seg, n) if seg.el(n) else None


def parse_d8(seg: Segment, n: int) -> dt.date:
    """Element ``n`` as a CCYYMMDD date (the first date of an RD8 range)."""
    text = seg.el(n)[:8]
    try:
        return dt.date.fromisoformat(text) if _N0.fullmatch(text) and len(text) == 8 else _bad(text)
    except ValueError:
        raise X12Error(
            f"{seg.el(n)[:40]!r} is not a CCYYMMDD date",
            position=seg.position,
            segment_id=seg.id,
            element=f"{seg.id}{n:02d}",
        ) from None


def _bad(text: str) -> dt.date:
    raise ValueError(text)


def optional_amount(seg: Segment, n: int) -> Decimal | None:
    """Element ``n`` as money, or None when the element is absent."""
    return parse_amount(seg, n) if seg.el(n) else None


def optional_d8(seg: Segment, n: int) -> dt.date | None:
    return parse_d8(seg, n) if seg.el(n) else None
