"""Tables of the EDI exchange: files sent and received, and the work queue of what did not match.

Why separate tables: an 837 file sent, a 999/277CA applied and an 835 posted are facts about files
(who, when, its SHA-256), not about claims; the SHA-256 is what makes applying a file twice a no-op.
The work queue keeps every remittance claim or acknowledgement we could not match to a claim of
ours — nothing received is ever dropped.
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
    LargeBinary,
    String,
    Text,
)
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["EdiFileRow", "SubmittedClaimRow", "WorkItemRow"]


class EdiFileRow(ClinicOwned, Base):
    """One X12 file sent (837) or applied (999, 277CA, 835), identified by its SHA-256."""

    __tablename__ = "edi_file"
    __table_args__ = (
        Unique("clinic_id", "direction", "sha256"),
        CheckConstraint("direction IN ('out','in')", name="direction"),
        Index("ix_edi_file_control", "clinic_id", "kind", "control_number"),
    )
    direction: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(8))  # 837P, 999, 277CA, 835
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    control_number: Mapped[int | None] = mapped_column()  # ISA13/GS06 of the files we write
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_user: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the submission outbox (0036): a file written but not yet marked sent keeps its bytes here
    outgoing: Mapped[bytes | None] = mapped_column(LargeBinary)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SubmittedClaimRow(ClinicOwned, Base):
    """Which claim went out in which 837 file and transaction set (to apply its 999)."""

    __tablename__ = "submitted_claim"
    __table_args__ = (Index("ix_submitted_claim_claim", "claim_id"),)
    file_id: Mapped[int] = mapped_column(ForeignKey("edi_file.id"), index=True)
    set_control: Mapped[str] = mapped_column(String(9))  # ST02
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))


class WorkItemRow(ClinicOwned, Base):
    """A remittance claim or acknowledgement that needs a person: unmatched, or not postable."""

    __tablename__ = "edi_work_item"
    __table_args__ = (
        Unique("clinic_id", "source_key"),
        Index("ix_edi_work_item_open", "clinic_id", "resolved_at"),
    )
    source_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))  # 835, 277CA
    reference: Mapped[str] = mapped_column(String(80))  # CLP01 / TRN02: the claim number sent
    payer_claim_number: Mapped[str | None] = mapped_column(String(50))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"))
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittance.id"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("edi_file.id"))
    paid_cents: Mapped[int] = mapped_column(default=0)
    charge_cents: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
