"""The JSON API's request and response models: they are what the OpenAPI document describes.

Money is a decimal string ("90.00"), never a float; dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = [
    "ClaimDetailOut",
    "ClaimOut",
    "ClaimPage",
    "PostingReportOut",
    "RemittanceOut",
    "RemittancePage",
    "ScrubOut",
    "VisitIn",
    "VisitOut",
    "VisitPage",
]


class _Paged(BaseModel):
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page; null on the last")


class ClaimOut(BaseModel):
    id: int
    number: str = Field(description="the claim number sent to the payer (CLM01)")
    status: str
    date_of_service: dt.date
    payer_id: int
    payer: str
    total_charge: Decimal
    errors: int = Field(description="error findings of the last scrub")
    patient_id: int | None = None
    patient: str | None = Field(None, description="the patient's first and last name")
    payer_claim_number: str | None = Field(None, description="the payer's number for it (CLP07)")


class ClaimPage(_Paged):
    items: list[ClaimOut]


class ClaimLineOut(BaseModel):
    position: int
    code: str
    minutes: int | None
    units: int
    modifiers: list[str]
    charge: Decimal


class FindingOut(BaseModel):
    rule: str
    name: str
    category: str
    severity: Literal["error", "warning", "info"]
    line: int | None = None
    message: str
    fix: dict[str, Any] | None = None
    source: str = ""


class HistoryOut(BaseModel):
    from_status: str | None = Field(None, alias="from")
    to: str
    at: dt.datetime
    by: int | None
    reason: str

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class ClaimDetailOut(BaseModel):
    id: int
    number: str
    status: str
    date_of_service: dt.date
    payer: str
    total_charge: Decimal
    errors: int
    frequency_code: str
    original_claim_id: int | None
    place_of_service: str
    telehealth: bool
    lines: list[ClaimLineOut]
    findings: list[FindingOut]
    history: list[HistoryOut]


class ScrubResultOut(BaseModel):
    claim_id: str
    status: Literal["clean", "review", "held"]
    findings: list[FindingOut]


class ScrubSummaryOut(BaseModel):
    claims: int
    clean: int
    review: int
    held: int
    findings: int
    by_severity: dict[str, int]
    by_rule: dict[str, int]


class ScrubOut(BaseModel):
    claims: list[ScrubResultOut]
    summary: ScrubSummaryOut


class ServiceIn(BaseModel):
    code: str = Field(examples=["97110"])
    minutes: int = Field(ge=0, le=1440)
    modifiers: list[str] = Field(default_factory=list)
    distinct_service: bool = False


class VisitIn(BaseModel):
    """A visit to record; units are computed from the minutes under the payer's method."""

    patient_id: int
    coverage_id: int | None = Field(
        None, description="the coverage billed; none only for a patient registered as self-pay"
    )
    provider_id: int | None = Field(
        None, description="the rendering provider; a therapist's own provider when omitted"
    )
    date: dt.date
    services: list[ServiceIn] = Field(min_length=1)
    note_type: Literal["evaluation", "re-evaluation", "daily", "progress", "discharge"]
    note: dict[str, Any] | None = None
    place_of_service: str = "11"
    telehealth: bool = False


class ServiceOut(BaseModel):
    code: str
    minutes: int
    units: int
    modifiers: list[str]


class VisitOut(BaseModel):
    id: int
    date: dt.date
    patient_id: int
    provider_id: int
    coverage_id: int | None = Field(description="none: a self-pay visit, billed to the patient")
    place_of_service: str
    telehealth: bool
    services: list[ServiceOut]
    note_type: str | None
    note_signed: bool


class VisitPage(_Paged):
    items: list[VisitOut]


class RemittanceOut(BaseModel):
    id: int
    payer_id: int | None
    payer: str | None
    trace_number: str
    paid_on: dt.date
    total: Decimal


class RemittancePage(_Paged):
    items: list[RemittanceOut]


class ClaimOutcomeOut(BaseModel):
    claim_number: str
    outcome: str
    paid: Decimal
    detail: str = ""


class PostingReportOut(BaseModel):
    file: str
    already_posted: bool
    remittances: int
    claims: int
    matched: int
    paid: int
    partially_paid: int
    denied: int
    reversed: int
    unmatched: int
    postings: int
    denials_opened: int
    work_items: int
    payments_total: Decimal
    outcomes: list[ClaimOutcomeOut]
