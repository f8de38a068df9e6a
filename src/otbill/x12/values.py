"""Element values as typed data: money as Decimal, CCYYMMDD dates as ``datetime.date``.

A value that is not what its element must hold raises :class:`X12Error` naming the segment
position, ID and element, and quoting the value: the caller decides whether that refuses the file
(835 money) or only the claim it belongs to (837).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters, Segment

__all__ = [
    "AMOUNTS",
    "amount_at",
    "optional_amount",
    "optional_d8",
    "parse_amount",
    "parse_d8",
    "read_amount",
]

_ZERO = Decimal(0)
_DELIMITERS = Delimiters()
_CACHE_SIZE = 8192

AMOUNTS: dict[str, Decimal] = {}
"""Element text → its Decimal, for every amount already read: a Decimal is immutable, and a file
repeats the same few amounts (``5``, ``45.00``) many thousand times. Bounded by clearing."""


def parse_amount(seg: Segment, n: int, *, required: bool = True) -> Decimal:
    """Element ``n`` as Decimal money; a value that is not a number makes the file unreadable."""
    elements = seg.elements
    text = elements[n] if n < len(elements) else ""
    if text:
        try:
            value = Decimal(text)
            if value.is_finite() and "_" not in text:
                return value
        except InvalidOperation:
            pass
        raise X12Error(
            f"{text!r} is not a number",
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
    if text:
        try:
            value = Decimal(text)
            if value.is_finite() and "_" not in text:
                if len(AMOUNTS) >= _CACHE_SIZE:
                    AMOUNTS.clear()
                AMOUNTS[text] = value
                return value
        except InvalidOperation:
            pass
    return parse_amount(Segment(position, elements, _DELIMITERS), n, required=required)


def parse_d8(seg: Segment, n: int) -> dt.date:
    """Element ``n`` as a CCYYMMDD date (the first date of an RD8 range)."""
    text = seg.el(n)[:8]
    try:
        return dt.date.fromisoformat(text) if len(text) == 8 and text.isdigit() else _bad(text)
    except ValueError:
        raise X12Error(
            f"{seg.el(n)!r} is not a CCYYMMDD date",
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
