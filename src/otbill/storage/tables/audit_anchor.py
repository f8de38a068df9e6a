"""The audit chain's anchor per clinic: how many events it holds and the hash of the last one.

Why apart from ``audit_head``: deleting a clinic's audit rows together with its head row, or the
last rows with the head moved back, left a chain that verified as intact. The anchor is written
in the same transaction as every append, so a deletion must also find and rewrite this table;
the signed daily checkpoint files (``otbill audit checkpoint``) catch even that.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base

__all__ = ["AuditAnchorRow"]


class AuditAnchorRow(Base):
    __tablename__ = "audit_anchor"
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"), primary_key=True)
    row_count: Mapped[int] = mapped_column(default=0)  # events in the chain (= the last seq)
    hash: Mapped[str] = mapped_column(String(64))  # the last event's hash
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # when the last event was appended
