"""The schedule's table: appointments per therapist and location (migration 0010).

Why start and length in minutes: the overlap test for double-booking is plain integer arithmetic
the same way on SQLite and PostgreSQL (``start < other_end and other_start < end``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["AppointmentRow"]

VISIT_TYPES = "'evaluation','re-evaluation','daily','progress'"
STATUSES = "'booked','checked-in','cancelled','no-show'"


class AppointmentRow(ClinicOwned, Base):
    """One booked slot; ``series_id`` ties the appointments of a recurring series together,
    ``visit_id`` is the visit its check-in made."""

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration"),
        CheckConstraint("start_minute BETWEEN 0 AND 1439", name="start"),
        CheckConstraint(f"visit_type IN ({VISIT_TYPES})", name="visit_type"),
        CheckConstraint(f"status IN ({STATUSES})", name="status"),
        Index("ix_appointment_clinic_provider_date", "clinic_id", "provider_id", "date"),
        Index("ix_appointment_clinic_patient_date", "clinic_id", "patient_id", "date"),
    )
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("clinic_location.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    coverage_id: Mapped[int | None] = mapped_column(ForeignKey("coverage.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    start_minute: Mapped[int] = mapped_column()
    duration_minutes: Mapped[int] = mapped_column()
    visit_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="booked")
    series_id: Mapped[int | None] = mapped_column(index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    note: Mapped[str | None] = mapped_column(String(500))
