"""Eligibility runs: the night-before (or plan-year) re-verification batch and its items (0018).

Why a run and its items are rows: the batch must survive a kill. Each item is one coverage and
date of service, unique per run, with its state (waiting, sent, answered, failed), the attempts
made and the eligibility check its answer became; a restarted run reads its items and asks only
the ones not answered, with the same trace as before.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["EligibilityRunItemRow", "EligibilityRunRow"]

RUN_KINDS = "'scheduled','plan-year'"
RUN_STATES = "'running','finished'"
ITEM_STATES = "'waiting','sent','answered','failed'"


class EligibilityRunRow(ClinicOwned, Base):
    """One batch for a date and kind; its counts are written as items end."""

    __tablename__ = "eligibility_run"
    __table_args__ = (
        CheckConstraint(f"kind IN ({RUN_KINDS})", name="kind"),
        CheckConstraint(f"state IN ({RUN_STATES})", name="state"),
        Index("ix_eligibility_run_clinic_date", "clinic_id", "for_date", "kind"),
    )
    for_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="running")
    total: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    active: Mapped[int] = mapped_column(default=0)
    inactive: Mapped[int] = mapped_column(default=0)
    not_verified: Mapped[int] = mapped_column(default=0)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class EligibilityRunItemRow(ClinicOwned, Base):
    """One coverage and date of service to ask about in a run (unique per run)."""

    __tablename__ = "eligibility_run_item"
    __table_args__ = (
        UniqueConstraint("run_id", "coverage_id", "date_of_service"),
        CheckConstraint(f"state IN ({ITEM_STATES})", name="state"),
        Index("ix_eligibility_run_item_run_state", "run_id", "state"),
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("eligibility_run.id"))
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    eligibility_check_id: Mapped[int | None] = mapped_column(ForeignKey("eligibility_check.id"))
    message: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
