"""Tables of what was claimed and what came back: claims, remittances, postings, denials, appeals.

The ledger (``posting``) is append-only: corrections are reversal postings, and every posting
carries a source key unique per clinic, so posting the same remittance twice inserts nothing.
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
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = [
    "AppealRow",
    "ClaimLineRow",
    "ClaimRow",
    "ClaimStatusRow",
    "ClaimVisitRow",
    "DenialRow",
    "PostingRow",
    "RemittanceRow",
]

_STATUSES = (
    "'draft','held','ready','approved','submitted','accepted','rejected','paid',"
    "'partially_paid','denied','appealed','closed'"
)


class ClaimRow(ClinicOwned, Base):
    __tablename__ = "claim"
    __table_args__ = (
        UniqueConstraint("clinic_id", "number"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        CheckConstraint("frequency_code IN ('1','7','8')", name="frequency"),
        Index("ix_claim_queue", "clinic_id", "status", "date_of_service", "id"),
        Index("ix_claim_patient", "clinic_id", "patient_id", "date_of_service"),
        # claim search without a status, dashboard windows; by payer (migration 0032)
        Index("ix_claim_served", "clinic_id", "date_of_service", "id"),
        Index("ix_claim_payer", "clinic_id", "payer_id", "date_of_service", "id", "status"),
        # a company's tabs over many clinics: a status in service order, index-only (0035)
        Index(
            "ix_claim_status_served",
            *("status", "date_of_service", "id", "clinic_id", "patient_id", "payer_id"),
        ),
        # what a posting's key to its claim names: the claim and its patient and payer (0037)
        Index("ux_claim_id_patient_id_payer_id", "id", "patient_id", "payer_id", unique=True),
    )
    number: Mapped[str] = mapped_column(String(38))  # CLM01
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    original_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"))
    payer_claim_number: Mapped[str | None] = mapped_column(String(50))
    place_of_service: Mapped[str] = mapped_column(String(2))
    telehealth: Mapped[bool] = mapped_column(default=False)
    total_charge_cents: Mapped[int] = mapped_column()
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error_count: Mapped[int] = mapped_column(default=0)  # errors among the findings (queue view)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    last_edited_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 — SQLAlchemy's declaration


class ClaimLineRow(ClinicOwned, Base):
    __tablename__ = "claim_line"
    __table_args__ = (
        UniqueConstraint("claim_id", "position"),
        CheckConstraint("units >= 0 AND charge_cents >= 0", name="amounts"),
        Index("ix_claim_line_service_line", "service_line_id"),
        # what a posting's key to its line names: the line, its claim and clinic (0037)
        Index("ux_claim_line_id_claim_id_clinic_id", "id", "claim_id", "clinic_id", unique=True),
    )
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    position: Mapped[int] = mapped_column()
    service_line_id: Mapped[int | None] = mapped_column(ForeignKey("service_line.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(5))
    minutes: Mapped[int | None] = mapped_column()
    units: Mapped[int] = mapped_column()
    modifiers: Mapped[str] = mapped_column(String(20), default="")  # comma-separated, ordered
    charge_cents: Mapped[int] = mapped_column()
    allowed_cents: Mapped[int] = mapped_column(default=0)  # expected, until the payer says
    rendering_provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    furnished_by_assistant: Mapped[bool] = mapped_column(default=False)
    distinct_service: Mapped[bool] = mapped_column(default=False)


class ClaimVisitRow(ClinicOwned, Base):
    """Which visits a claim bills (a day's visits are one claim; one line per code and day)."""

    __tablename__ = "claim_visit"
    __table_args__ = (
        UniqueConstraint("claim_id", "visit_id"),
        Index("ix_claim_visit_visit", "visit_id"),
    )
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))


class ClaimStatusRow(ClinicOwned, Base):
    __tablename__ = "claim_status_history"
    # (claim, id): a claim's first status change is the index's first entry (migration 0032)
    __table_args__ = (Index("ix_claim_status_claim", "claim_id", "id"),)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_user: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class RemittanceRow(ClinicOwned, Base):
    """One 835 (or one patient receipt batch): the trace number makes its postings unique."""

    __tablename__ = "remittance"
    __table_args__ = (UniqueConstraint("clinic_id", "payer_id", "trace_number"),)
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("payer.id"))
    trace_number: Mapped[str] = mapped_column(String(80))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    total_cents: Mapped[int] = mapped_column()
    file_sha256: Mapped[str | None] = mapped_column(String(64))  # of the 835 it came in (0002)
    payer_code: Mapped[str | None] = mapped_column(String(80))  # REF*2U / TRN03 as sent (0002)


class PostingRow(ClinicOwned, Base):
    """One ledger entry: charge, payment, adjustment, transfer or reversal (never updated).

    Two composite keys (migration 0037) say what a posting is on: a line of its own claim, in its
    own clinic, and that claim's patient and payer. They replace five single keys (line, claim,
    clinic, patient, payer), so the database makes two lookups a row where it made five: an
    835's hundred thousand postings were mostly foreign-key checks (issue 15).
    """

    __tablename__ = "posting"
    __table_args__ = (
        UniqueConstraint("clinic_id", "source_key"),
        CheckConstraint(
            "kind IN ('charge','payment','adjustment','transfer','reversal')", name="kind"
        ),
        CheckConstraint("amount_cents >= 0", name="amount"),
        CheckConstraint("group_code IS NULL OR group_code IN ('CO','PR','OA','PI')", name="grp"),
        Index("ix_posting_claim", "clinic_id", "claim_id"),
        Index("ix_posting_patient", "clinic_id", "patient_id"),
        # a remittance's page, and the dashboard's payment figures (migration 0005)
        Index("ix_posting_remittance", "clinic_id", "remittance_id"),
        Index("ix_posting_kind", "clinic_id", "kind"),
        ForeignKeyConstraint(
            ["claim_line_id", "claim_id", "clinic_id"],
            ["claim_line.id", "claim_line.claim_id", "claim_line.clinic_id"],
        ),
        ForeignKeyConstraint(
            ["claim_id", "patient_id", "payer_id"],
            ["claim.id", "claim.patient_id", "claim.payer_id"],
        ),
    )
    # not ClinicOwned's key and index: the key through the line checks the clinic, and the
    # indexes above lead with it
    clinic_id: Mapped[int] = mapped_column()
    source_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column()
    claim_id: Mapped[int] = mapped_column()
    claim_line_id: Mapped[int] = mapped_column()
    patient_id: Mapped[int] = mapped_column()
    payer_id: Mapped[int] = mapped_column()
    payer_side: Mapped[bool] = mapped_column(default=True)  # payments: from payer or patient
    group_code: Mapped[str | None] = mapped_column(String(2))
    carc: Mapped[str | None] = mapped_column(String(5))
    rarc: Mapped[str | None] = mapped_column(String(8))
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittance.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("posting.id"), unique=True)
    posted_on: Mapped[dt.date] = mapped_column(Date)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    posted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class DenialRow(ClinicOwned, Base):
    __tablename__ = "denial"
    __table_args__ = (Index("ix_denial_remittance", "remittance_id"),)  # migration 0005
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    claim_line_id: Mapped[int | None] = mapped_column(ForeignKey("claim_line.id"))
    group_code: Mapped[str] = mapped_column(String(2))
    carc: Mapped[str] = mapped_column(String(5))
    rarc: Mapped[str | None] = mapped_column(String(8))
    denied_on: Mapped[dt.date] = mapped_column(Date)
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittance.id"))
    # migration 0002: what was denied, every code, and by when to appeal
    amount_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    codes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # group, carc, amount, line
    remarks: Mapped[list[str] | None] = mapped_column(JSON)  # every RARC (LQ, MOA)
    appeal_deadline: Mapped[dt.date | None] = mapped_column(Date)


class AppealRow(ClinicOwned, Base):
    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint("outcome IN ('pending','won','lost','partial')", name="outcome"),
    )
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    denial_id: Mapped[int | None] = mapped_column(ForeignKey("denial.id"))
    level: Mapped[int] = mapped_column(default=1)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    filed_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
