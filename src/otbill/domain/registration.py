"""What the front desk registers beyond a claim's needs: contacts, guarantor, consents, coverage
terms and the documents attached to a patient.

Stored facts read back for the services; immutable, changes go through the repositories. Money is
integer cents, as stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "DOCUMENT_KINDS",
    "CoverageTerms",
    "EmergencyContact",
    "Guarantor",
    "PatientDocument",
    "Registration",
]

DOCUMENT_KINDS = ("card-front", "card-back", "referral", "consent", "other")


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    name: str
    relationship: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Guarantor:
    """The person responsible for the bill when it is not the patient (a parent, a spouse)."""

    first_name: str
    last_name: str
    relationship: str = "other"
    address_line1: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Registration:
    """A patient's registration: the account number, how to reach them, who pays, consents."""

    account_number: str | None = None
    preferred_name: str | None = None
    phone: str | None = None
    email: str | None = None
    preferred_language: str | None = None
    emergency_contact: EmergencyContact | None = None
    guarantor: Guarantor | None = None  # None: the patient is their own guarantor
    consent_on: dt.date | None = None
    benefits_assigned_on: dt.date | None = None
    self_pay: bool = False


@dataclass(frozen=True, slots=True)
class CoverageTerms:
    """What the clinic knows of a coverage's plan and cost sharing (None: not known)."""

    plan_name: str | None = None
    copay_cents: int | None = None
    coinsurance_percent: int | None = None
    deductible_cents: int | None = None


@dataclass(frozen=True, slots=True)
class PatientDocument:
    """A document attached to a patient (the bytes are read only when downloaded)."""

    id: int
    patient_id: int
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: int | None = None
