"""The claim as the scrubber, the records and the X12 writer see it (otbill claim JSON, version 1).

Records are frozen pydantic dataclasses: validated on construction (impossible minutes, malformed
dates and unknown fields are refused with the field named), never mutated — a fix makes a copy with
``dataclasses.replace``. Money is ``Decimal``. The JSON Schema in ``docs/claim.schema.json`` is
generated from these classes (``otbill schema``), so the two cannot drift.

Field notes (beyond the names):
- ``prior_authorization.visits_used`` counts authorized visits used *before* this claim.
- ``visit_number`` is this visit's number in the plan of care; ``last_progress_report_visit`` the
  visit number of the last progress report.
- ``history`` lists lines already billed for the patient (for duplicates, visit limits, fees).
- ``source`` says whether the claim comes with the clinic's records or was read from an 837P.
- ``other_coverages`` are the patient's other active coverages on the date of service (the
  secondary, the tertiary) when the claim is billed to the primary: the 837P's loops 2320/2330.
- ``lines[].distinct_service`` is the note's statement that the service was distinct (a separate
  15-minute interval or encounter): the fact that lets an NCCI edit be bypassed with 59/X{EPSU}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator
from pydantic.dataclasses import dataclass

from otbill.domain.coordination import PriorAdjudication

__all__ = [
    "Address",
    "BillingProvider",
    "Claim",
    "Documentation",
    "Eligibility",
    "HistoryLine",
    "OtherCoverage",
    "Patient",
    "PayerRef",
    "PlanOfCare",
    "PriorAuthorization",
    "Provider",
    "ServiceFacility",
    "ServiceLine",
    "Subscriber",
]

_CONFIG = ConfigDict(
    extra="forbid", str_strip_whitespace=True, validate_by_name=True, validate_by_alias=True
)
Minutes = Annotated[int, Field(ge=0, le=1440, strict=True)]
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Text = Annotated[str, Field(min_length=1, max_length=200)]


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Address:
    line1: Text
    city: Text
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    zip: Annotated[str, Field(pattern=r"^\d{5}(\d{4})?$")]
    line2: str | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class PayerRef:
    """Who pays, and which payer profile (``payers/*.yaml``) holds its rules."""

    profile: Text
    payer_id: Text
    name: Text
    network: Literal["in", "out"] = "in"


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Patient:
    id: Text
    first_name: Text
    last_name: Text
    dob: dt.date
    sex: Literal["F", "M", "U"]
    member_id: Text
    address: Address | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Subscriber:
    """The insured person when it is not the patient (X12 2000B/2010BA)."""

    first_name: Text
    last_name: Text
    member_id: Text
    dob: dt.date | None = None  # the 837P carries it only when the subscriber is the patient
    sex: Literal["F", "M", "U"] = "U"
    relationship: Literal["spouse", "child", "other"] = "other"
    address: Address | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class OtherCoverage:
    """Another coverage of the patient's (837P loops 2320/2330A/2330B).

    ``responsibility`` is the payer's place in line: P (primary), S (secondary) or T (tertiary).
    The insured is the patient when ``relationship`` is "self"; otherwise the named subscriber.
    ``adjudication`` is what a payer before this claim's payer decided (a secondary or tertiary
    claim's prior payers; see :mod:`otbill.domain.coordination`).
    """

    responsibility: Literal["P", "S", "T"]
    payer: PayerRef
    member_id: Text
    first_name: Text
    last_name: Text
    relationship: Literal["self", "spouse", "child", "other"] = "self"
    group_number: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    address: Address | None = None
    adjudication: PriorAdjudication | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class BillingProvider:
    name: Text
    npi: Text
    tax_id: Annotated[str, Field(pattern=r"^\d{9}$")]
    address: Address
    taxonomy: str | None = None
    pay_to: Address | None = None  # 837P loop 2010AB: where payments go, when not the address


@dataclass(frozen=True, slots=True, config=_CONFIG)
class ServiceFacility:
    """Where the service was furnished (837P loop 2310C), when not the billing address."""

    name: Text
    address: Address


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Provider:
    npi: Text
    first_name: Text
    last_name: Text
    credential: str | None = None  # OTR/L, OT, COTA, MD, DO, NP, PA ...
    taxonomy: str | None = None  # NUCC provider taxonomy, e.g. 225X00000X (occupational therapist)


@dataclass(frozen=True, slots=True, config=_CONFIG)
class PriorAuthorization:
    number: Text
    from_: dt.date = Field(alias="from")
    to: dt.date = Field()
    visits_authorized: Annotated[int, Field(ge=0)] | None = None
    visits_used: Annotated[int, Field(ge=0)] = 0


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Eligibility:
    verified_on: dt.date
    active: bool
    # From the latest 271 kept for the coverage (None: no 271, or the payer did not say).
    plan_begin: dt.date | None = None
    plan_end: dt.date | None = None
    visit_limit: Annotated[int, Field(ge=0)] | None = None
    visits_used: Annotated[int, Field(ge=0)] | None = None  # as the payer counted on verified_on


@dataclass(frozen=True, slots=True, config=_CONFIG)
class PlanOfCare:
    start: dt.date
    certified_on: dt.date | None = None  # physician/NPP signature date; None = not yet certified
    recert_due: dt.date | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Documentation:
    """What the visit's note documents (Pub 100-02 ch. 15 §220.3)."""

    note_type: Literal["evaluation", "re-evaluation", "daily", "progress", "discharge"]
    signed: bool
    current_status: bool = False
    goals: bool = False
    interventions: bool = False
    medical_necessity: bool = False
    total_timed_minutes: Minutes | None = None
    total_treatment_minutes: Minutes | None = None
    evaluation_complexity: Literal["low", "moderate", "high"] | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class ServiceLine:
    date: dt.date
    code: Text
    charge: Money
    units: Annotated[int, Field(ge=0, le=999, strict=True)]
    minutes: Minutes | None = None
    modifiers: tuple[str, ...] = ()
    dx_pointers: tuple[Annotated[int, Field(ge=1, le=12)], ...] = (1,)
    furnished_by_assistant: bool = False
    distinct_service: bool = False
    rendering_npi: str | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class HistoryLine:
    """A line already billed for this patient."""

    claim_id: Text
    date: dt.date
    code: Text
    units: Annotated[int, Field(ge=0)] = 1
    rendering_npi: str | None = None
    payer_id: str | None = None
    charge: Money | None = None


@dataclass(frozen=True, slots=True, config=_CONFIG)
class Claim:
    claim_id: Annotated[str, Field(min_length=1, max_length=38)]  # CLM01 holds up to 38
    payer: PayerRef
    patient: Patient
    billing_provider: BillingProvider
    lines: Annotated[tuple[ServiceLine, ...], Field(min_length=1, max_length=50)]
    place_of_service: Annotated[str, Field(pattern=r"^\d{2}$")] = "11"
    diagnoses: tuple[str, ...] = ()
    subscriber: Subscriber | None = None
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    service_facility: ServiceFacility | None = None
    prior_authorization: PriorAuthorization | None = None
    eligibility: Eligibility | None = None
    plan_of_care: PlanOfCare | None = None
    visit_number: Annotated[int, Field(ge=1)] | None = None
    last_progress_report_visit: Annotated[int, Field(ge=0)] | None = None
    ytd_therapy_allowed: Money = Decimal("0")
    documentation: Documentation | None = None
    history: tuple[HistoryLine, ...] = ()
    other_coverages: Annotated[tuple[OtherCoverage, ...], Field(max_length=2)] = ()
    discipline: Literal["OT", "PT", "SLP"] = "OT"
    telehealth: bool = False
    frequency_code: Literal["1", "7", "8"] = "1"
    original_claim_number: str | None = None
    total_charge: Money | None = None
    # "records": built from the clinic's records (or otbill claim JSON) with its full context;
    # "x12": read from an 837P, which carries no note, eligibility, plan of care, visit counts,
    # minutes or billing history — rules that need those facts are not run (see rules.engine).
    source: Literal["records", "x12"] = "records"
    # This claim's payer's place in line (SBR01): P, or S/T for a claim after the prior payers'
    # adjudication, which ``other_coverages`` then carries (a secondary or tertiary claim).
    responsibility: Literal["P", "S", "T"] = "P"

    @field_validator("other_coverages")
    @classmethod
    def _one_payer_per_place(cls, others: tuple[OtherCoverage, ...]) -> tuple[OtherCoverage, ...]:
        """At most one payer per place, in order (the 837P's 2320 loops)."""
        places = [o.responsibility for o in others]
        if places != sorted(set(places)):
            raise ValueError(f"one payer per place (P, S, T) in that order at most, not {places}")
        return others
