"""The 835 loops while they are being read, frozen into :mod:`otbill.domain.remittance` records.

Each draft checks its own balance when it freezes (line: SVC02 − SVC03 = its CAS; claim:
CLP03 − CLP04 = claim CAS + line CAS), so a break is reported once, at the segment that carries it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from otbill.domain.remittance import (
    Adjustment,
    ClaimPayment,
    PaymentHeader,
    ProviderAdjustment,
    ServicePayment,
)
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Delimiters, Segment
from otbill.x12.values import amount_at, optional_d8, parse_amount

__all__ = [
    "ClaimDraft",
    "HeaderDraft",
    "Procedure",
    "ServiceDraft",
    "date_at",
    "new_record",
    "procedure",
]

_ZERO = Decimal(0)
_DELIMITERS = Delimiters()
_CACHE_SIZE = 4096
_DATES: dict[str, dt.date] = {}  # element text → the date it was read as (never a warning's None)

# Records are built with tuple.__new__ (what a named tuple's own __new__ calls), skipping one Python
# frame per record: a 10,000-claim 835 builds about 110,000 of them.
new_record: Any = tuple.__new__


def _date(seg: Segment, n: int, findings: list[X12Finding]) -> dt.date | None:
    """A date the posting does not depend on: a bad one is a warning, not a refusal."""
    els = seg.elements
    text = els[n] if n < len(els) else ""
    if len(text) == 8 and text.isdigit():
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    try:
        return optional_d8(seg, n)
    except X12Error as exc:
        findings.append(X12Finding("warning", seg.position, seg.id, exc.element, exc.reason))
        return None


def date_at(els: list[str], n: int, position: int, findings: list[X12Finding]) -> dt.date | None:
    """:func:`_date` on a segment's bare elements; a date read once is remembered by its text."""
    text = els[n] if n < len(els) else ""
    date = _DATES.get(text)
    if date is None:
        date = _date(Segment(position, els, _DELIMITERS), n, findings)
        if date is not None:
            if len(_DATES) >= _CACHE_SIZE:
                _DATES.clear()
            _DATES[text] = date
    return date


Procedure = tuple[str, str, tuple[str, ...]]


def procedure(composite: str, component: str) -> Procedure:
    """SVC01: qualifier, code and the non-empty modifiers (SVC01-3..6)."""
    parts = [*composite.split(component), "", ""]
    return parts[0], parts[1], tuple([m for m in parts[2:6] if m])


class ServiceDraft:
    """Loop 2110 while it is read: the SVC's elements, its amounts, and what follows it."""

    __slots__ = (
        "adjusted",
        "adjustments",
        "allowed",
        "charge",
        "component",
        "control",
        "date",
        "els",
        "paid",
        "paid_as",
        "period_start",
        "position",
        "remarks",
    )

    def __init__(
        self,
        els: list[str],
        position: int,
        component: str,
        paid_as: Procedure,
        charge: Decimal,
        paid: Decimal,
    ) -> None:
        self.els = els
        self.position = position
        self.component = component
        self.paid_as = paid_as
        self.charge = charge
        self.paid = paid
        self.adjustments: list[Adjustment] = []
        self.adjusted = _ZERO
        self.remarks: list[str] = []
        self.allowed: Decimal | None = None
        self.control: str | None = None
        self.date: dt.date | None = None
        self.period_start: dt.date | None = None

    def freeze(self, findings: list[X12Finding]) -> ServicePayment:
        els, position = self.els, self.position
        size = len(els)
        qualifier, code, modifiers = self.paid_as
        original = els[6].split(self.component) if size > 6 and els[6] else []
        charge, paid = self.charge, self.paid
        line: ServicePayment = new_record(
            ServicePayment,
            (
                position,
                qualifier,
                code,
                modifiers,
                charge,
                paid,
                amount_at(els, 5, position) if size > 5 and els[5] else None,
                original[1] if len(original) > 1 else None,
                tuple([m for m in original[2:6] if m]),
                amount_at(els, 7, position) if size > 7 and els[7] else None,
                self.date or self.period_start,
                tuple(self.adjustments),
                tuple(self.remarks),
                self.allowed,
                self.control,
            ),
        )
        if charge - paid != self.adjusted:
            findings.append(
                X12Finding(
                    "error",
                    position,
                    "SVC",
                    None,
                    f"line {line.code or '?'} does not balance: charge {charge} − paid {paid} = "
                    f"{charge - paid}, but its adjustments total {self.adjusted}",
                )
            )
        return line


@dataclass(slots=True)
class ClaimDraft:
    seg: Segment
    charge: Decimal
    paid: Decimal
    responsibility: Decimal | None
    patient_name: str = ""
    member_id: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)
    adjusted: Decimal = _ZERO  # claim and line CAS together
    remarks: list[str] = field(default_factory=list)
    services: list[ServiceDraft] = field(default_factory=list)
    service_from: dt.date | None = None
    service_to: dt.date | None = None

    @classmethod
    def from_clp(cls, seg: Segment) -> ClaimDraft:
        els, position = seg.elements, seg.position
        if not seg.el(1):
            raise X12Error(
                "is empty, expected the patient control number",
                position=position,
                segment_id="CLP",
                element="CLP01",
            )
        return cls(
            seg,
            amount_at(els, 3, position),
            amount_at(els, 4, position),
            amount_at(els, 5, position) if seg.el(5) else None,
        )

    def read_dtm(self, els: list[str], position: int, findings: list[X12Finding]) -> None:
        qualifier = els[1] if len(els) > 1 else ""
        if self.services:
            line = self.services[-1]
            if qualifier == "472":
                line.date = date_at(els, 2, position, findings)
            elif qualifier == "150":
                line.period_start = date_at(els, 2, position, findings)
        elif qualifier == "232":
            self.service_from = date_at(els, 2, position, findings)
        elif qualifier == "233":
            self.service_to = date_at(els, 2, position, findings)

    def freeze(self, findings: list[X12Finding]) -> ClaimPayment:
        seg, els = self.seg, self.seg.elements
        size = len(els)
        charge, paid = self.charge, self.paid
        claim: ClaimPayment = new_record(
            ClaimPayment,
            (
                seg.position,
                els[1],
                els[2] if size > 2 else "",
                charge,
                paid,
                self.responsibility,
                els[6] if size > 6 else "",
                els[7] if size > 7 else "",
                els[9] if size > 9 else "",
                self.patient_name,
                self.member_id,
                tuple(self.adjustments),
                tuple(self.remarks),
                tuple([s.freeze(findings) for s in self.services]),
                self.service_from,
                self.service_to,
            ),
        )
        if charge - paid != self.adjusted:
            findings.append(
                X12Finding(
                    "error",
                    seg.position,
                    "CLP",
                    None,
                    f"claim {claim.patient_control_number} does not balance: charge {charge} − paid "
                    f"{paid} = {charge - paid}, but claim and line adjustments total "
                    f"{self.adjusted}",
                )
            )
        return claim


@dataclass(slots=True)
class HeaderDraft:
    position: int
    control_number: str
    total_paid: Decimal = _ZERO
    credit_debit: str = ""
    method: str = ""
    payment_date: dt.date | None = None
    trace: str = ""
    trn_payer: str = ""
    n1: str = ""
    payer_name: str = ""
    payer_id: str = ""
    payee_name: str = ""
    payee_id: str = ""
    payee_qualifier: str = ""
    payee_tax_id: str = ""
    claims_paid: Decimal = _ZERO
    plb_total: Decimal = _ZERO
    emitted: PaymentHeader | None = None
    bpr_position: int | None = None

    def read_bpr(self, seg: Segment, findings: list[X12Finding]) -> None:
        self.total_paid = parse_amount(seg, 2)
        self.bpr_position = seg.position
        self.credit_debit, self.method = seg.el(3), seg.el(4)
        self.payment_date = _date(seg, 16, findings)

    def read_n1(self, seg: Segment) -> None:
        self.n1 = seg.el(1)
        if self.n1 == "PR":
            self.payer_name = seg.el(2)
        elif self.n1 == "PE":
            self.payee_name, self.payee_id = seg.el(2), seg.el(4)
            self.payee_qualifier = seg.el(3)

    def freeze(self) -> PaymentHeader:
        return PaymentHeader(
            self.position,
            self.control_number,
            self.total_paid,
            self.credit_debit,
            self.method,
            self.payment_date,
            self.trace,
            self.payer_name,
            self.payer_id or self.trn_payer,
            self.payee_name,
            self.payee_id,
            self.payee_qualifier,
            self.payee_tax_id,
        )

    @staticmethod
    def read_plb(seg: Segment, findings: list[X12Finding]) -> Iterator[ProviderAdjustment]:
        fiscal = _date(seg, 2, findings)
        for first in range(3, min(len(seg), 15), 2):
            if not seg.el(first):
                continue
            reason = [*seg.components(first), ""]
            yield ProviderAdjustment(
                seg.position, seg.el(1), fiscal, reason[0], reason[1], parse_amount(seg, first + 1)
            )
