"""Eligibility: what a 270 asks and what a 271 answers, as records services use without X12.

The inquiry (:class:`Inquiry`) names the payer, the provider asking, the insured (and the patient
when the patient is a dependent), the date of service and the service types asked about: ``AD``
(occupational therapy) and ``PT`` (physical therapy), or ``30`` (health benefit plan coverage)
when no therapy discipline is known (005010X279A1 section 1.4.7: every payer answers ``30``).

The answer (:class:`EligibilityAnswer`) keeps every benefit (one EB loop each, :class:`Benefit`),
the AAA rejections, the other payers and the therapy limits found in EB or MSG text; the figures a
front desk needs (copay, visits left, deductible remaining...) are derived from the benefits by
:mod:`otbill.domain.eligibility_summary`, for the therapy service types first and ``30`` after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

__all__ = [
    "SERVICE_TYPES",
    "Benefit",
    "EligibilityAnswer",
    "Inquiry",
    "OtherPayer",
    "Person",
    "Rejection",
    "StoredCheck",
    "TherapyLimit",
    "service_types_for",
]

SERVICE_TYPES = {
    "30": "health benefit plan coverage",
    "AD": "occupational therapy",
    "PT": "physical therapy",
    "AE": "physical medicine",
    "AF": "speech therapy",
    "1": "medical care",
    "98": "professional (physician) visit - office",
    "MH": "mental health",
    "UC": "urgent care",
    "33": "chiropractic",
    "35": "dental care",
    "47": "hospital",
    "86": "emergency services",
    "88": "pharmacy",
    "AL": "vision (optometry)",
}
_BY_DISCIPLINE = {"OT": "AD", "PT": "PT"}


def service_types_for(disciplines: tuple[str, ...]) -> tuple[str, ...]:
    """``AD`` for OT, ``PT`` for PT (in that order); ``30`` when neither is asked about."""
    found = tuple(_BY_DISCIPLINE[d] for d in ("OT", "PT") if d in disciplines)
    return found or ("30",)


@dataclass(frozen=True, slots=True)
class Person:
    first_name: str
    last_name: str
    dob: dt.date | None = None
    sex: str = "U"  # F, M or U


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One 270 question: is this person covered on this date, and for what."""

    trace: str  # TRN02: our reference, echoed back in the 271's TRN
    payer_name: str
    payer_id: str  # 2100A NM109 (PI): the EDI payer id
    provider_name: str  # the organisation asking (2100B), or a person's last name
    provider_npi: str  # 2100B NM109 (XX)
    subscriber: Person
    member_id: str  # 2100C NM109 (MI)
    date_of_service: dt.date
    service_types: tuple[str, ...] = ("30",)
    procedure_codes: tuple[str, ...] = ()  # EQ02 HC:code, when the payer's profile says so
    dependent: Person | None = None  # the patient, when not the subscriber (2000D)
    relationship: str = "self"  # the patient's tie to the subscriber: self, spouse, child, other
    provider_first_name: str | None = None  # set when the provider is a person (NM102 = 1)
    originator: str = ""  # TRN03: "1" + the clinic's EIN


@dataclass(frozen=True, slots=True)
class Rejection:
    """An AAA: the payer could not answer, at which level, and what to do."""

    level: str  # payer, provider, subscriber, dependent or benefit
    code: str  # AAA03
    follow_up: str  # AAA04
    position: int  # of the AAA segment


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """Another payer the 271 names (EB01 R, or its 2120 loop): coordination of benefits."""

    name: str
    insurance_type: str  # EB04: MA Medicare Part A, MB Part B, HM HMO, ...
    identifier: str = ""  # 2120 NM109
    plan: str = ""  # EB05
    medicare_advantage: bool = False


class Benefit(NamedTuple):
    """One EB loop: its code and figures as sent, with its dates, messages and related names.

    A named tuple rather than a frozen dataclass, for speed: a 271 batch holds tens of thousands
    of benefits, and a frozen dataclass pays one ``object.__setattr__`` per field (18) on each,
    about 4 µs, as much as splitting the segments of the whole file (issue 12,
    ``bench/x12_271_read.py``); a named tuple is built in one call from its fields in order
    (``Benefit._make(fields)``). It is as immutable and hashable, reads and prints the same
    (``Benefit(position=3, code='1', ...)``); unlike the dataclass it is also a tuple, so it
    compares equal to a plain tuple of the same values, and it unpacks.

    >>> b = Benefit(7, "B", ("AD",), amount=Decimal("25"), network="Y")
    >>> b.covers("AD"), b.covers("PT"), b.in_network
    (True, False, True)
    >>> b.amount, b.quantity, b.messages
    (Decimal('25'), None, ())
    >>> b.amount = Decimal("30")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    AttributeError: can't set attribute
    >>> len({b, Benefit(7, "B", ("AD",), amount=Decimal("25.00"), network="Y")})
    1
    """

    position: int  # of the EB segment
    code: str  # EB01
    service_types: tuple[str, ...] = ()  # EB03
    coverage_level: str = ""  # EB02: IND, FAM, ...
    insurance_type: str = ""  # EB04
    plan: str = ""  # EB05
    period: str = ""  # EB06: 22 service year, 23 calendar year, 29 remaining, ...
    amount: Decimal | None = None  # EB07
    percent: Decimal | None = None  # EB08, as a fraction (0.2 = 20%)
    quantity_qualifier: str = ""  # EB09: VS visits, 99 used, ...
    quantity: Decimal | None = None  # EB10
    authorization: str = ""  # EB11: Y required, N not, U unknown
    network: str = ""  # EB12: Y in network, N out, W both, U unknown
    procedure: str = ""  # EB13-2
    begin: dt.date | None = None  # DTP 292/346/348... in the EB loop
    end: dt.date | None = None
    messages: tuple[str, ...] = ()  # MSG01 texts
    entities: tuple[tuple[str, str, str], ...] = ()  # 2120 NM1: (NM101, name, identifier)

    def covers(self, service_type: str) -> bool:
        return not self.service_types or service_type in self.service_types

    @property
    def in_network(self) -> bool | None:
        """True in network, False out of network, None when it applies to both or is not said."""
        return {"Y": True, "N": False}.get(self.network)


@dataclass(frozen=True, slots=True)
class TherapyLimit:
    """A visit limit (or visits used), from an EB with a quantity or mined from MSG text."""

    visits: int
    kind: str  # "limit", "remaining" or "used"
    period: str  # words: "calendar year", "plan year", ... or ""
    service_types: tuple[str, ...]
    source: str  # "EB" or "MSG"
    evidence: str  # the MSG text, or the EB segment's position in words


class EligibilityAnswer(NamedTuple):
    """A 271 for one person: who was found, the plan's dates, benefits, rejections.

    A named tuple, as :class:`Benefit` is and for the same reason (a batch of 271s holds one per
    person answered; issue 12): immutable, hashable, built in one call, read by field name.
    """

    trace: str  # TRN02 of the 2000C/D loop (our 270's trace)
    payer_name: str
    member_id: str
    first_name: str
    last_name: str
    dob: dt.date | None
    dependent: bool  # the answer is in a 2000D loop
    plan_begin: dt.date | None = None  # DTP 346 (or 291/356/307 ranges)
    plan_end: dt.date | None = None  # DTP 347 (or the end of a range)
    benefits: tuple[Benefit, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    other_payers: tuple[OtherPayer, ...] = ()
    limits: tuple[TherapyLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredCheck:
    """An eligibility answer as kept on the coverage: the figures, the words and the raw 271."""

    coverage_id: int
    checked_on: dt.date  # the day the payer answered
    date_of_service: dt.date  # the day asked about
    trace: str
    active: bool | None  # None: not verified (the payer did not find the person, or could not say)
    status: str
    benefits: dict[str, object]  # the figures as JSON-ready data, with the plain-words lines
    raw_response: str
    id: int = 0
