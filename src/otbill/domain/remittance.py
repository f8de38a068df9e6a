"""What an 835 says: payments, claim and line adjudications, adjustments and remarks.

Immutable records with ``Decimal`` money (typed named tuples: a remittance of 100,000 claims builds
about a million of them, and a named tuple is built ten times faster than a frozen dataclass), one per 835 loop, so posting (a later layer) can match each
:class:`ClaimPayment` to our claim by ``patient_control_number`` (CLP01 = our CLM01) and post its
adjustments by group code and CARC. Field comments give the element each value comes from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

__all__ = [
    "CLAIM_STATUS",
    "Adjustment",
    "ClaimPayment",
    "PaymentHeader",
    "ProviderAdjustment",
    "Remittance",
    "ServicePayment",
    "to_json",
]

CLAIM_STATUS = {
    "1": "processed as primary", "2": "processed as secondary", "3": "processed as tertiary",
    "4": "denied", "19": "processed as primary, forwarded to additional payer(s)",
    "20": "processed as secondary, forwarded to additional payer(s)",
    "21": "processed as tertiary, forwarded to additional payer(s)",
    "22": "reversal of previous payment", "23": "not our claim, forwarded to additional payer(s)",
    "25": "predetermination pricing only, no payment",
}  # fmt: skip


class Adjustment(NamedTuple):
    """One CAS triplet: group (CO/PR/OA/PI/CR), CARC, amount and optional quantity."""

    group: str  # CAS01
    reason: str  # CAS02, 05, 08, 11, 14, 17
    amount: Decimal  # CAS03, ...
    quantity: Decimal | None = None  # CAS04, ...


class ServicePayment(NamedTuple):
    """Loop 2110: one adjudicated service line."""

    position: int  # of the SVC segment
    qualifier: str  # SVC01-1: HC (CPT/HCPCS), ...
    code: str  # SVC01-2, as paid
    modifiers: tuple[str, ...]  # SVC01-3..6
    charge: Decimal  # SVC02
    paid: Decimal  # SVC03
    units: Decimal | None  # SVC05 units paid
    original_code: str | None  # SVC06-2, when the payer changed the code
    original_modifiers: tuple[str, ...]
    original_units: Decimal | None  # SVC07
    date: dt.date | None  # DTM*472 (else DTM*150)
    adjustments: tuple[Adjustment, ...]
    remarks: tuple[str, ...]  # LQ*HE RARCs
    allowed: Decimal | None  # AMT*B6
    line_control_number: str | None  # REF*6R: our line's ID, when we sent one

    @property
    def adjustment_total(self) -> Decimal:
        return sum((a.amount for a in self.adjustments), Decimal(0))


class ClaimPayment(NamedTuple):
    """Loop 2100: the payer's decision on one claim."""

    position: int  # of the CLP segment
    patient_control_number: str  # CLP01 = our CLM01
    status: str  # CLP02
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal | None  # CLP05
    filing_indicator: str  # CLP06
    payer_claim_number: str  # CLP07: the ICN we quote in REF*F8 when correcting
    frequency_code: str  # CLP09
    patient_name: str  # NM1*QC
    member_id: str  # NM1*QC NM109
    adjustments: tuple[Adjustment, ...]  # claim-level CAS
    remarks: tuple[str, ...]  # MOA/MIA remark codes
    services: tuple[ServicePayment, ...]
    service_from: dt.date | None  # DTM*232
    service_to: dt.date | None  # DTM*233

    @property
    def status_text(self) -> str:
        return CLAIM_STATUS.get(self.status, f"status {self.status}")

    @property
    def denied(self) -> bool:
        return self.status == "4"

    @property
    def adjustment_total(self) -> Decimal:
        """Claim-level and line-level CAS amounts together (what charge − paid must equal)."""
        own = sum((a.amount for a in self.adjustments), Decimal(0))
        return own + sum((s.adjustment_total for s in self.services), Decimal(0))


class ProviderAdjustment(NamedTuple):
    """One PLB reason/amount pair: money not tied to one claim (interest, recoupment, ...)."""

    position: int
    provider_id: str  # PLB01
    fiscal_date: dt.date | None  # PLB02
    reason: str  # PLB03-1: L6 interest, WO overpayment recovery, FB forwarding balance, ...
    reference: str  # PLB03-2
    amount: Decimal  # PLB04: positive reduces the payment, negative adds to it


class PaymentHeader(NamedTuple):
    """The 835 header: BPR payment, TRN trace, payer (1000A) and payee (1000B)."""

    position: int  # of the ST segment
    control_number: str  # ST02
    total_paid: Decimal  # BPR02
    credit_debit: str  # BPR03: C credit, D debit
    method: str  # BPR04: ACH, CHK, NON, ...
    payment_date: dt.date | None  # BPR16
    trace_number: str  # TRN02: check or EFT number
    payer_name: str  # N1*PR N102
    payer_id: str  # REF*2U, else TRN03
    payee_name: str  # N1*PE N102
    payee_id: str  # N1*PE N104 (NPI when N103 = XX)
    payee_id_qualifier: str = ""  # N1*PE N103: XX NPI, FI federal tax ID, XV CMS plan ID
    payee_tax_id: str = ""  # 1000B REF*TJ: the payee's federal tax ID


class Remittance(NamedTuple):
    """One 835 transaction set: a payment and everything it pays."""

    header: PaymentHeader
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(remittance: Remittance) -> dict[str, Any]:
    """A remittance as JSON-ready data (money as strings, so no float ever touches it)."""
    data: dict[str, Any] = _plain(remittance)
    for claim, source in zip(data["claims"], remittance.claims, strict=True):
        claim["status_text"] = source.status_text
    return data
