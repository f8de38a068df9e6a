"""Patient statements sent, and the holds that keep a statement from being sent.

Why a statement keeps its content (``body``): what was mailed must print the same later, when the
ledger has moved on (payments, corrections); the row is the record that it was sent, to whom, in
which cycle and batch. One statement per guarantor per date: a run repeated the same day sends
nothing twice (the unique index backs the service's check when two runs race).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Index, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["StatementHoldRow", "StatementRow"]


class StatementRow(ClinicOwned, Base):
    """One statement sent to one guarantor (never updated)."""

    __tablename__ = "statement"
    __table_args__ = (
        Unique("clinic_id", "guarantor_key", "statement_date"),
        Index("ix_statement_batch", "clinic_id", "batch"),
        Index("ix_statement_date", "clinic_id", "statement_date"),
        CheckConstraint("cycle IN ('first','second','final')", name="cycle"),
    )
    guarantor_key: Mapped[str] = mapped_column(String(200))
    guarantor_name: Mapped[str] = mapped_column(String(200))
    patient_ids: Mapped[list[int]] = mapped_column(JSON)
    cycle: Mapped[str] = mapped_column(String(10))
    statement_date: Mapped[dt.date] = mapped_column(Date)
    amount_due_cents: Mapped[int] = mapped_column()
    due_on: Mapped[dt.date] = mapped_column(Date)
    batch: Mapped[str] = mapped_column(String(80))  # the run's name; its PDF and CSV are named so
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # the statement as sent
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class StatementHoldRow(ClinicOwned, Base):
    """Do not send: ``scope`` 'patient' leaves the patient off their guarantor's statement,
    'guarantor' holds the whole statement of the patient's guarantor."""

    __tablename__ = "statement_hold"
    __table_args__ = (
        Unique("clinic_id", "patient_id"),
        CheckConstraint("scope IN ('patient','guarantor')", name="scope"),
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    scope: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300))
    held_at: Mapped[dt.datetime] = mapped_column(DateTime)
    held_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
