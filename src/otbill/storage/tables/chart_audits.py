"""Chart-audit results (migration 0026): one row per sampled visit of a quarter's coding audit.

The quarter's sample is drawn with a seed (``domain.coding_audit.draw_sample``); the seed is kept
on each result so the sample can be re-drawn and compared. ``results`` maps each checklist item
(``domain.coding_audit.CHECKLIST``) to ``pass``, ``fail`` or ``n/a``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ChartAuditRow"]


class ChartAuditRow(ClinicOwned, Base):
    __tablename__ = "chart_audit"
    __table_args__ = (Unique("clinic_id", "quarter", "visit_id"),)
    quarter: Mapped[str] = mapped_column(String(6))  # 2025Q1
    seed: Mapped[int] = mapped_column()
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    audited_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    audited_at: Mapped[dt.datetime] = mapped_column(DateTime)
