"""The 835 loops while they are being read, frozen into :mod:`otbill.x12.remittance` records.

Each draft checks its own balance when it freezes (line: SVC02 − SVC03 = its CAS; claim:
CLP03 − CLP04 = claim CAS + line CAS), so a break is reported once, at the segment that carries it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.remittance import (
    Adjustment,
    ClaimPayment,
    PaymentHeader,
    ProviderAdjustment,
    ServicePayment,
)
from otbill.x12.tokens import Segment
from otbill.x12.values import optional_amount, optional_d8, parse_amount

__all__ = ["ClaimDraft", "HeaderDraft", "ServiceDraft", "adjustments"]

_ZERO = Decimal(0)


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


def adjustments(seg: Segment) -> tuple[list[Adjustment], Decimal]:
    """The up to six (reason, amount, quantity) triplets of one CAS segment, and their sum."""
    els = seg.elements
    size = len(els)
    group = els[1] if size > 1 else ""
    if not group:
        raise X12Error(
            "is empty, expected a group code (CO, PR, OA, PI, CR)",
            position=seg.position,
            segment_id="CAS",
            element="CAS01",
        )
    found: list[Adjustment] = []
    total = _ZERO
    for first in range(2, min(size, 20), 3):  # hot: ~7 CAS per claim
        reason = els[first]
        if not reason and (first + 1 >= size or not els[first + 1]):
            continue
        amount = parse_amount(seg, first + 1)
        quantity = els[first + 2] if first + 2 < size else ""
        found.append(
            Adjustment(group, reason, amount, parse_amount(seg, first + 2) if quantity else None)
        )
        total += amount
    return found, total


@dataclass(slots=True)
class ServiceDraft:
    seg: Segment
    charge: Decimal
    paid: Decimal
    adjustments: list[Adjustment] = field(default_factory=list)
    adjusted: Decimal = _ZERO
    remarks: list[str] = field(default_factory=list)
    allowed: Decimal | None = None
    control: str | None = None
    date: dt.date | None = None
    period_start: dt.date | None = None

    @classmethod
    def from_svc(cls, seg: Segment) -> ServiceDraft:
        return cls(seg, parse_amount(seg, 2), parse_amount(seg, 3, required=False))

    def freeze(self, findings: list[X12Finding]) -> ServicePayment:
        seg, els = self.seg, self.seg.elements
        size = len(els)
        paid_as = [*els[1].split(seg.delimiters.component), "", ""]
        original = seg.components(6) if size > 6 and els[6] else []
        charge, paid = self.charge, self.paid
        line = ServicePayment(
            seg.position,
            paid_as[0],
            paid_as[1],
            tuple(m for m in paid_as[2:6] if m),
            charge,
            paid,
            parse_amount(seg, 5) if size > 5 and els[5] else None,
            original[1] if len(original) > 1 else None,
            tuple(m for m in original[2:6] if m),
            parse_amount(seg, 7) if size > 7 and els[7] else None,
            self.date or self.period_start,
            tuple(self.adjustments),
            tuple(self.remarks),
            self.allowed,
            self.control,
        )
        if charge - paid != self.adjusted:
            findings.append(
                X12Finding(
                    "error",
                    seg.position,
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
        if not seg.el(1):
            raise X12Error(
                "is empty, expected the patient control number",
                position=seg.position,
                segment_id="CLP",
                element="CLP01",
            )
        return cls(seg, parse_amount(seg, 3), parse_amount(seg, 4), optional_amount(seg, 5))

    def read_dtm(self, seg: Segment, findings: list[X12Finding]) -> None:
        els = seg.elements
        qualifier = els[1] if len(els) > 1 else ""
        if self.services:
            line = self.services[-1]
            if qualifier == "472":
                line.date = _date(seg, 2, findings)
            elif qualifier == "150":
                line.period_start = _date(seg, 2, findings)
        elif qualifier == "232":
            self.service_from = _date(seg, 2, findings)
        elif qualifier == "233":
            self.service_to = _date(seg, 2, findings)

    def freeze(self, findings: list[X12Finding]) -> ClaimPayment:
        seg, els = self.seg, self.seg.elements
        size = len(els)
        charge, paid = self.charge, self.paid
        claim = ClaimPayment(
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
