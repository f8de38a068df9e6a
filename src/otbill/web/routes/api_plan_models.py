"""The JSON API's plan-of-care models (OpenAPI schemas): physicians, referrals, plans, the queue.

Dates are ISO 8601. Inputs map one to one onto :mod:`otbill.services.frontdesk.referrals` and
:mod:`otbill.services.frontdesk.plans_of_care`, so the API and the web forms check the same
things (NPI check digit, billable ICD-10-CM codes, the 30-day deadline's delay reason).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from otbill.services.frontdesk.plan_queue import PlanLine, PlanPage
from otbill.services.frontdesk.plans_of_care import MAX_GOALS, MAX_PER_WEEK, MAX_WEEKS
from otbill.services.frontdesk.referrals import MAX_DIAGNOSES

__all__ = [
    "PhysicianIn",
    "PhysicianOut",
    "PlanIn",
    "PlanLineOut",
    "PlanOut",
    "RecertifyIn",
    "ReferralIn",
    "ReferralOut",
    "SignatureIn",
]

_Diagnoses = Field(min_length=1, max_length=MAX_DIAGNOSES, description="ICD-10-CM codes")


class PhysicianIn(BaseModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    npi: str = Field(min_length=10, max_length=10, description="individual NPI (check digit)")
    fax: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)


class PhysicianOut(PhysicianIn):
    id: int


class ReferralIn(BaseModel):
    physician_id: int
    referred_on: dt.date
    diagnoses: list[str] = _Diagnoses
    note: str = Field("", max_length=2000)


class ReferralOut(ReferralIn):
    id: int
    patient_id: int


class PlanIn(BaseModel):
    """A plan of care the therapist writes; it waits for the physician's signature."""

    patient_id: int
    physician_id: int
    start: dt.date = Field(description="the evaluation's date")
    diagnoses: list[str] = _Diagnoses
    goals: str = Field(min_length=1, max_length=MAX_GOALS)
    frequency_per_week: int = Field(ge=1, le=MAX_PER_WEEK)
    duration_weeks: int = Field(ge=1, le=MAX_WEEKS)
    referral_id: int | None = None


class SignatureIn(BaseModel):
    received_on: dt.date = Field(description="the date the signed plan came back")
    delay_reason: str = Field("", max_length=1000, description="needed after 30 days")


class RecertifyIn(BaseModel):
    goals: str | None = Field(None, max_length=MAX_GOALS, description="empty: keep the goals")


class PlanLineOut(BaseModel):
    plan_id: int
    patient_id: int
    patient_name: str
    physician_name: str
    start: dt.date
    state: str
    certify_by: dt.date
    certified_on: dt.date | None
    recert_due: dt.date | None

    @classmethod
    def of(cls, line: PlanLine) -> PlanLineOut:
        return cls(plan_id=line.plan_id, patient_id=line.patient_id,
                   patient_name=line.patient_name, physician_name=line.physician_name,
                   start=line.start, state=line.state.value, certify_by=line.certify_by,
                   certified_on=line.certified_on, recert_due=line.recert_due)  # fmt: skip


class PlanOut(PlanLineOut):
    diagnoses: list[str]
    goals: str
    frequency_per_week: int
    duration_weeks: int
    certifying_npi: str
    physician_id: int | None
    referral_id: int | None
    evaluation_visit_id: int | None
    recertifies_id: int | None
    delay_reason: str

    @classmethod
    def of_page(cls, page: PlanPage) -> PlanOut:
        plan, detail = page.plan, page.detail
        return cls(**PlanLineOut.of(page.line).model_dump(), diagnoses=list(plan.diagnoses),
                   goals=plan.goals, frequency_per_week=plan.frequency_per_week,
                   duration_weeks=plan.duration_weeks, certifying_npi=plan.certifying_npi,
                   physician_id=detail.physician_id, referral_id=detail.referral_id,
                   evaluation_visit_id=detail.evaluation_visit_id,
                   recertifies_id=detail.recertifies_id,
                   delay_reason=detail.delay_reason)  # fmt: skip
