"""Claim status follow-up (276/277, ASC X12N 005010X212): the question and the payer's answer.

A :class:`StatusRequest` asks a payer where one submitted claim stands; the payer answers with
one or more :class:`ClaimStatus` per claim (the 277's STC segments): a *category* (A1 received,
P1 pending, F1 paid, F2 denied…, code source 507), a *status code* saying why (code source 508)
and the amounts and dates of the decision. :attr:`StatusAnswer.outcome` folds them into the five
things a biller acts on: received, pending, paid, denied or not found (plus "rejected",
"more information requested" and "no answer possible", which also need a person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.claim_status_codes import category_words, outcome_of, status_words
from otbill.domain.eligibility import Person

__all__ = ["ClaimStatus", "StatusAnswer", "StatusRequest"]


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """One 276 question: where does this claim stand with this payer."""

    trace: str  # TRN02: our claim number (the 837's CLM01), echoed in the 277's TRN
    payer_name: str
    payer_id: str  # 2100A NM109 (PI)
    receiver_name: str  # the clinic or its clearinghouse account (2100B)
    receiver_id: str  # 2100B NM109 (46: the submitter's ETIN)
    provider_name: str  # the billing provider (2100C)
    provider_npi: str  # 2100C NM109 (XX)
    subscriber: Person
    member_id: str  # 2100D NM109 (MI)
    service_from: dt.date  # DTP*472
    service_to: dt.date
    total_charge: Decimal  # AMT*T3
    payer_claim_number: str | None = None  # REF*1K, when the payer gave one (277CA or 835)
    patient_account: str | None = None  # REF*EJ
    patient: Person | None = None  # when the patient is not the subscriber (2000E)


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One STC: the category, the status code and the amounts and dates the payer gives."""

    position: int  # of the STC segment
    category: str  # STC01-1
    code: str  # STC01-2
    entity: str  # STC01-3
    effective: dt.date | None  # STC02: the day this status took effect
    charged: Decimal | None = None  # STC04: total claim charge
    paid: Decimal | None = None  # STC05: claim payment amount
    finalized: dt.date | None = None  # STC06: adjudication or payment date
    check_date: dt.date | None = None  # STC08
    check_number: str = ""  # STC09

    @property
    def words(self) -> str:
        """'finalized: denied — the service is included in another service's allowance'."""
        status = status_words(self.code)
        return category_words(self.category) + (f" — {status}" if status else "")


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """The payer's answer about one claim (2200D/E), or about the whole request (2200B/C)."""

    position: int  # of the TRN segment
    level: str  # claim, provider or receiver
    trace: str  # TRN02 as echoed
    statuses: tuple[ClaimStatus, ...]
    payer_claim_number: str | None = None  # REF*1K
    patient_account: str | None = None  # REF*EJ
    service_from: dt.date | None = None  # DTP*472
    service_to: dt.date | None = None

    @property
    def outcome(self) -> str:
        """The first status decides (the guide puts the current status first)."""
        first = self.statuses[0] if self.statuses else None
        return outcome_of(first.category, first.code) if first else "no answer possible"

    @property
    def effective(self) -> dt.date | None:
        return self.statuses[0].effective if self.statuses else None

    @property
    def words(self) -> str:
        """Plain words for the claim's history: 'finalized: paid (status F1:65) on 21 Mar 2025'."""
        if not self.statuses:
            return "the payer sent no status"
        first = self.statuses[0]
        text = f"{first.words} (status {first.category}:{first.code or '-'})"
        if first.effective is not None:
            text += f" as of {first.effective.isoformat()}"
        if first.paid is not None and first.charged is not None:
            text += f", paid {first.paid:.2f} of {first.charged:.2f}"
        if self.payer_claim_number:
            text += f", payer claim number {self.payer_claim_number}"
        return text
