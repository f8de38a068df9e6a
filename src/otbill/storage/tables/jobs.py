"""The job queue's own records: what was asked, by whom, how far it got, and what came of it.

Why otbill keeps its own row next to procrastinate's: the progress page, the jobs page and the
API read one table on SQLite and PostgreSQL alike, scoped by clinic (row-level security keys on
``clinic_id``); procrastinate's job only carries this row's id. The idempotency key is unique per
clinic and kind, so asking twice for the same work returns the first job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["JOB_STATES", "JobRow"]

JOB_STATES = ("queued", "running", "done", "failed")


class JobRow(ClinicOwned, Base):
    """One piece of long work (a posting, a statement run, a batch of questions)."""

    __tablename__ = "job"
    __table_args__ = (
        UniqueConstraint("clinic_id", "kind", "idempotency_key"),
        CheckConstraint("state IN (" + ",".join(f"'{s}'" for s in JOB_STATES) + ")", name="state"),
        Index("ix_job_clinic_created", "clinic_id", "created_at"),
    )
    kind: Mapped[str] = mapped_column(String(60))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(String(1000), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    queued_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
