"""Tables of the clinic's master data and clinical records: who, what, when, how long.

Money is integer cents (SQLite has no decimal type); the domain converts to ``Decimal``.
Derived facts (authorization visits used, balances) have no column: they are queried.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = [
    "AuthorizationRow",
    "ClinicRow",
    "CoverageRow",
    "FeeScheduleRow",
    "NoteAmendmentRow",
    "NoteRow",
    "OverheadCostRow",
    "PatientRow",
    "PayerRow",
    "PlanOfCareRow",
    "ProviderRow",
    "ServiceLineRow",
    "UserRoleRow",
    "UserRow",
    "VisitRow",
]

_S = String(200)


class ClinicRow(Base):
    __tablename__ = "clinic"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(_S)
    npi: Mapped[str] = mapped_column(String(10))
    tax_id: Mapped[str] = mapped_column(String(9))
    taxonomy: Mapped[str | None] = mapped_column(String(10))
    address_line1: Mapped[str] = mapped_column(_S)
    city: Mapped[str] = mapped_column(_S)
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(9))
    # where payments go when not the address above (loop 2010AB); migration 0006
    pay_to_line1: Mapped[str | None] = mapped_column(_S)
    pay_to_city: Mapped[str | None] = mapped_column(_S)
    pay_to_state: Mapped[str | None] = mapped_column(String(2))
    pay_to_zip: Mapped[str | None] = mapped_column(String(9))
    # the price list at /prices is public unless the clinic hides it; migration 0019
    publish_prices: Mapped[bool] = mapped_column(default=True, server_default=true())


class UserRow(ClinicOwned, Base):
    __tablename__ = "app_user"
    __table_args__ = (
        UniqueConstraint("clinic_id", "username"),
        # usernames are compared without case, like clinic codes (migration 0013)
        Index(
            "ux_app_user_clinic_lower_username", "clinic_id", text("lower(username)"), unique=True
        ),
    )
    username: Mapped[str] = mapped_column(String(80))
    full_name: Mapped[str] = mapped_column(_S)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class UserRoleRow(ClinicOwned, Base):
    __tablename__ = "user_role"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(
            "role IN ('therapist','biller','approver','auditor','admin','front-desk')", name="role"
        ),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    role: Mapped[str] = mapped_column(String(20))


class PatientRow(ClinicOwned, Base):
    __tablename__ = "patient"
    __table_args__ = (
        UniqueConstraint("clinic_id", "mrn"),
        CheckConstraint("sex IN ('F','M','U')", name="sex"),
        # registration (migration 0007): one account number per clinic; search by name, birth
        Index("ux_patient_account", "clinic_id", "account_number", unique=True),
        Index("ix_patient_name", "clinic_id", "last_name", "first_name"),
        Index("ix_patient_dob", "clinic_id", "dob"),
    )
    mrn: Mapped[str] = mapped_column(String(40))
    first_name: Mapped[str] = mapped_column(_S)
    last_name: Mapped[str] = mapped_column(_S)
    dob: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    address_line1: Mapped[str | None] = mapped_column(_S)
    city: Mapped[str | None] = mapped_column(_S)
    state: Mapped[str | None] = mapped_column(String(2))
    zip: Mapped[str | None] = mapped_column(String(9))
    account_number: Mapped[str | None] = mapped_column(String(20))
    preferred_name: Mapped[str | None] = mapped_column(_S)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(_S)
    preferred_language: Mapped[str | None] = mapped_column(String(40))
    emergency_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # name, relation, phone
    guarantor: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None: the patient
    consent_on: Mapped[dt.date | None] = mapped_column(Date)
    benefits_assigned_on: Mapped[dt.date | None] = mapped_column(Date)
    self_pay: Mapped[bool] = mapped_column(default=False, server_default=false())


class PayerRow(ClinicOwned, Base):
    __tablename__ = "payer"
    __table_args__ = (UniqueConstraint("clinic_id", "payer_code"),)
    payer_code: Mapped[str] = mapped_column(String(80))  # the EDI payer id
    name: Mapped[str] = mapped_column(_S)
    profile: Mapped[str] = mapped_column(String(80))  # payer profile name (payers/*.yaml)
    # the clinic's contract terms (migration 0006)
    network: Mapped[str] = mapped_column(String(3), default="in", server_default="in")
    claim_line1: Mapped[str | None] = mapped_column(_S)
    claim_city: Mapped[str | None] = mapped_column(_S)
    claim_state: Mapped[str | None] = mapped_column(String(2))
    claim_zip: Mapped[str | None] = mapped_column(String(9))
    timely_filing_days: Mapped[int | None] = mapped_column()
    appeal_days: Mapped[int | None] = mapped_column()
    contract_notes: Mapped[str | None] = mapped_column(Text)


class CoverageRow(ClinicOwned, Base):
    __tablename__ = "coverage"
    __table_args__ = (
        CheckConstraint("network IN ('in','out')", name="network"),
        CheckConstraint("priority IN (1,2,3)", name="priority"),
        CheckConstraint("relationship IN ('self','spouse','child','other')", name="relationship"),
        Index("ix_coverage_member", "clinic_id", "member_id"),  # search by member ID (0007)
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    member_id: Mapped[str] = mapped_column(String(80))
    group_number: Mapped[str | None] = mapped_column(String(80))
    relationship: Mapped[str] = mapped_column(String(10), default="self")
    subscriber: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    network: Mapped[str] = mapped_column(String(3), default="in")
    priority: Mapped[int] = mapped_column(default=1)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    eligibility_verified_on: Mapped[dt.date | None] = mapped_column(Date)
    eligibility_active: Mapped[bool | None] = mapped_column()
    plan_name: Mapped[str | None] = mapped_column(_S)
    copay_cents: Mapped[int | None] = mapped_column()
    coinsurance_percent: Mapped[int | None] = mapped_column()
    deductible_cents: Mapped[int | None] = mapped_column()


class ProviderRow(ClinicOwned, Base):
    __tablename__ = "provider"
    __table_args__ = (
        UniqueConstraint("clinic_id", "npi"),
        CheckConstraint(
            "credential IN ('OTR/L','OT','OTR','COTA','COTA/L','OTA','PT','DPT','PTA','SLP',"
            "'CCC-SLP','SLPA')",
            name="credential",
        ),
    )
    npi: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(_S)
    last_name: Mapped[str] = mapped_column(_S)
    credential: Mapped[str] = mapped_column(String(10))
    taxonomy: Mapped[str] = mapped_column(String(10))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    license_state: Mapped[str | None] = mapped_column(String(2))  # migration 0006
    license_number: Mapped[str | None] = mapped_column(String(40))
    hired_on: Mapped[dt.date | None] = mapped_column(Date)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)


class PlanOfCareRow(ClinicOwned, Base):
    __tablename__ = "plan_of_care"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    certifying_npi: Mapped[str] = mapped_column(String(10))
    certifying_first_name: Mapped[str] = mapped_column(_S)
    certifying_last_name: Mapped[str] = mapped_column(_S)
    start: Mapped[dt.date] = mapped_column(Date)
    certified_on: Mapped[dt.date | None] = mapped_column(Date)
    recert_due: Mapped[dt.date | None] = mapped_column(Date)
    diagnoses: Mapped[list[str]] = mapped_column(JSON)
    goals: Mapped[str] = mapped_column(Text)
    frequency_per_week: Mapped[int] = mapped_column()
    duration_weeks: Mapped[int] = mapped_column()
    # migration 0009: the certifying physician, the referral, the evaluation that started it (no
    # foreign key: visits already refer to plans), the plan it recertifies, a delayed cert's reason
    physician_id: Mapped[int | None] = mapped_column(ForeignKey("physician.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    evaluation_visit_id: Mapped[int | None] = mapped_column()
    recertifies_id: Mapped[int | None] = mapped_column(ForeignKey("plan_of_care.id"))
    delay_reason: Mapped[str | None] = mapped_column(Text)


class AuthorizationRow(ClinicOwned, Base):
    __tablename__ = "prior_authorization"
    __table_args__ = (
        UniqueConstraint("clinic_id", "coverage_id", "number"),
        CheckConstraint("visits_authorized IS NULL OR visits_authorized >= 0", name="visits"),
    )
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"), index=True)
    number: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    visits_authorized: Mapped[int | None] = mapped_column()
    units_authorized: Mapped[int | None] = mapped_column()
    # requested, pending, approved, partially-approved, denied (migration 0008; expired is derived)
    status: Mapped[str] = mapped_column(String(24), default="approved")
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every code


class VisitRow(ClinicOwned, Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_clinic_patient_date", "clinic_id", "patient_id", "date"),
        # a therapist's schedule and notes to sign (migration 0004)
        Index("ix_visit_clinic_provider_date", "clinic_id", "provider_id", "date"),
        Index("ix_visit_authorization", "authorization_id"),
        Index("ix_visit_served", "clinic_id", "date"),  # visits per day (migration 0032)
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    # None: a self-pay visit with no insurance, billed to the patient's account (migration 0027)
    coverage_id: Mapped[int | None] = mapped_column(ForeignKey("coverage.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    plan_of_care_id: Mapped[int | None] = mapped_column(ForeignKey("plan_of_care.id"))
    authorization_id: Mapped[int | None] = mapped_column(ForeignKey("prior_authorization.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    place_of_service: Mapped[str] = mapped_column(String(2))
    telehealth: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ServiceLineRow(ClinicOwned, Base):
    """One code on one visit: the single place minutes are entered (the note reads them here)."""

    __tablename__ = "service_line"
    __table_args__ = (
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes"),
        CheckConstraint("units >= 0", name="units"),
        Index("ix_service_line_visit", "visit_id"),
    )
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    position: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(5))
    minutes: Mapped[int] = mapped_column()
    units: Mapped[int] = mapped_column()  # from the units engine, never typed
    modifiers: Mapped[str] = mapped_column(String(20), default="")  # extra, e.g. "59"
    distinct_service: Mapped[bool] = mapped_column(default=False)


class NoteRow(ClinicOwned, Base):
    __tablename__ = "note"
    __table_args__ = (
        CheckConstraint(
            "note_type IN ('evaluation','re-evaluation','daily','progress','discharge')",
            name="note_type",
        ),
    )
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), unique=True)
    note_type: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_treatment_minutes: Mapped[int | None] = mapped_column()
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    signature_name: Mapped[str | None] = mapped_column(_S)
    signature_credential: Mapped[str | None] = mapped_column(String(10))


class NoteAmendmentRow(ClinicOwned, Base):
    """A dated change to a signed note; the note's own row is never rewritten after signing."""

    __tablename__ = "note_amendment"
    note_id: Mapped[int] = mapped_column(ForeignKey("note.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_user: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class FeeScheduleRow(ClinicOwned, Base):
    __tablename__ = "fee_schedule"
    __table_args__ = (
        UniqueConstraint("clinic_id", "payer_id", "code", "effective_from"),
        CheckConstraint("charge_cents >= 0 AND allowed_cents >= 0", name="amounts"),
    )
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("payer.id"))
    code: Mapped[str] = mapped_column(String(5))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    charge_cents: Mapped[int] = mapped_column()
    allowed_cents: Mapped[int] = mapped_column()  # expected allowed, per unit


class OverheadCostRow(ClinicOwned, Base):
    __tablename__ = "overhead_cost"
    __table_args__ = (
        UniqueConstraint("clinic_id", "month", "category"),
        CheckConstraint("amount_cents >= 0", name="amount"),
    )
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    category: Mapped[str] = mapped_column(String(80))
    amount_cents: Mapped[int] = mapped_column()
