"""Registration facts <-> the patient and coverage columns that hold them (rows stay in storage)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from otbill.domain.registration import CoverageTerms, EmergencyContact, Guarantor, Registration
from otbill.storage.tables import CoverageRow, PatientRow

__all__ = ["as_registration", "as_terms", "registration_values", "terms_values"]


def registration_values(registration: Registration) -> dict[str, Any]:
    """The patient columns of a registration (contacts as JSON objects)."""
    values = {
        name: getattr(registration, name)
        for name in Registration.__dataclass_fields__
        if name not in ("emergency_contact", "guarantor")
    }
    contact, guarantor = registration.emergency_contact, registration.guarantor
    values["emergency_contact"] = asdict(contact) if contact else None
    values["guarantor"] = asdict(guarantor) if guarantor else None
    return values


def as_registration(r: PatientRow) -> Registration:
    contact, guarantor = r.emergency_contact, r.guarantor
    return Registration(
        account_number=r.account_number,
        preferred_name=r.preferred_name,
        phone=r.phone,
        email=r.email,
        preferred_language=r.preferred_language,
        emergency_contact=EmergencyContact(**contact) if contact else None,
        guarantor=Guarantor(**guarantor) if guarantor else None,
        consent_on=r.consent_on,
        benefits_assigned_on=r.benefits_assigned_on,
        self_pay=bool(r.self_pay),
    )


def terms_values(terms: CoverageTerms) -> dict[str, Any]:
    return asdict(terms)


def as_terms(r: CoverageRow) -> CoverageTerms:
    return CoverageTerms(r.plan_name, r.copay_cents, r.coinsurance_percent, r.deductible_cents)
