"""What governs and records a patient's care: coverage, plans of care, authorizations, visits.

Stored facts read back for the services (the claim builder, the scrub snapshot, the therapist's
warnings); immutable — changes go through the repositories. Dates are the clinic's calendar dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Authorization", "Coverage", "PlanOfCare", "StoredNote", "Visit", "VisitLine"]


@dataclass(frozen=True, slots=True)
class Coverage:
    """A patient's insurance with one payer; ``subscriber`` is the insured when not the patient."""

    id: int
    patient_id: int
    payer_id: int
    member_id: str
    relationship: str = "self"  # self, spouse, child, other
    subscriber: Mapping[str, Any] | None = None  # first_name, last_name, dob, sex
    network: str = "in"
    priority: int = 1
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    group_number: str | None = None
    eligibility_verified_on: dt.date | None = None
    eligibility_active: bool | None = None


@dataclass(frozen=True, slots=True)
class PlanOfCare:
    """The certified plan: who certified it, when, until when, the diagnoses it treats, its goals
    and how often for how long."""

    id: int
    patient_id: int
    certifying_npi: str
    certifying_first_name: str
    certifying_last_name: str
    start: dt.date
    certified_on: dt.date | None
    recert_due: dt.date | None
    diagnoses: tuple[str, ...]
    goals: str = ""
    frequency_per_week: int = 0
    duration_weeks: int = 0


@dataclass(frozen=True, slots=True)
class Authorization:
    """A payer's prior authorization: dates and, when limited, visits or units allowed; for
    ``codes`` only when the payer authorizes per CPT code or code group (empty: every code).
    ``status`` as stored (:mod:`otbill.domain.authorizations` tells which statuses cover a
    visit and derives "expired")."""

    id: int
    coverage_id: int
    number: str
    start_date: dt.date
    end_date: dt.date
    visits_authorized: int | None
    units_authorized: int | None = None
    status: str = "approved"
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Visit:
    """One visit, with the plan of care and authorization in force on its date.

    ``coverage_id`` None: a self-pay visit of a patient with no insurance on file. It has no
    payer, so it never reaches a claim, an authorization's count or an eligibility rule; its
    lines become self-pay charges on the patient's account."""

    id: int
    patient_id: int
    coverage_id: int | None
    provider_id: int
    plan_of_care_id: int | None
    authorization_id: int | None
    date: dt.date
    place_of_service: str
    telehealth: bool = False


@dataclass(frozen=True, slots=True)
class VisitLine:
    """One code done at a visit: the one place minutes are entered; units computed from them."""

    id: int
    visit_id: int
    position: int
    code: str
    minutes: int
    units: int
    modifiers: str = ""  # comma-separated extras, e.g. "59"
    distinct_service: bool = False


@dataclass(frozen=True, slots=True)
class StoredNote:
    """A visit's note as stored: its template, text and signature (the domain's full view, with
    interventions and amendments, is :class:`otbill.domain.notes.VisitNote`)."""

    id: int
    visit_id: int
    note_type: str
    content: Mapping[str, Any]
    signed_at: dt.datetime | None = None
    signature_name: str | None = None
