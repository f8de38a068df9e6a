"""The pieces an 837P reader collects before it can build a :class:`Claim`: parties and lines.

The 837P spreads one claim over several loops (billing provider in 2000A, subscriber and payer in
2000B, patient in 2000C, claim in 2300, lines in 2400). The reader fills these mutable records as it
walks the segments and turns them into the frozen domain records when a claim is complete, so
validation errors (a state that is not two letters, a date of birth missing) are reported once, as
findings on the segment that carried the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.claim import Address

__all__ = ["LineDraft", "Party", "dotted_icd", "read_address"]


@dataclass(slots=True)
class Party:
    """One NM1 and its N3/N4/DMG/REF: a provider, subscriber, patient or payer."""

    position: int
    last: str
    first: str
    ident: str
    person: bool
    line1: str = ""
    line2: str | None = None
    city: str = ""
    state: str = ""
    zip: str = ""
    dob: dt.date | None = None
    sex: str = "U"
    tax_id: str | None = None
    taxonomy: str | None = None
    address_at: int | None = None
    pay_to: Party | None = None  # a billing provider's 2010AB (NM1*87 and its N3/N4)


@dataclass(slots=True)
class LineDraft:
    """One 2400 loop as read: SV1 and its DTP*472 (and a 2420A rendering NPI)."""

    position: int
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    unit_basis: str
    pointers: tuple[int, ...]
    date: dt.date | None = None
    rendering_npi: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def dotted_icd(code: str) -> str:
    """HI carries codes without the dot; otbill's claims write ICD codes with it (M6281 → M62.81)."""
    code = code.strip().upper()
    cut = 4 if code.startswith("E") and code[1:].isdigit() else 3  # ICD-9 E codes: E880.9
    return f"{code[:cut]}.{code[cut:]}" if len(code) > cut and "." not in code else code


def read_address(party: Party) -> Address | None:
    """The party's N3/N4 as an Address, or None when absent or not a US address otbill takes."""
    if not party.line1 or not party.city:
        return None
    zip_code = party.zip.replace("-", "")
    if not (len(party.state) == 2 and party.state.isalpha() and party.state.isupper()):
        return None
    if not (zip_code.isdigit() and len(zip_code) in (5, 9)):
        return None
    return Address(
        line1=party.line1, city=party.city, state=party.state, zip=zip_code, line2=party.line2
    )
