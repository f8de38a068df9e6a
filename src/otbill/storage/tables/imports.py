"""What came in from the old system: each imported record keyed by the old system's ID.

Why a mapping table: re-running an import must change nothing, and the old system's IDs are the
only key a clinic's export carries; one row maps (old system, kind, old ID) to the new record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["LegacyImportRow"]


class LegacyImportRow(ClinicOwned, Base):
    __tablename__ = "legacy_import"
    __table_args__ = (UniqueConstraint("clinic_id", "old_system", "kind", "old_id"),)
    old_system: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # patient, coverage, provider, balance
    old_id: Mapped[str] = mapped_column(String(80))
    new_id: Mapped[int] = mapped_column()
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
