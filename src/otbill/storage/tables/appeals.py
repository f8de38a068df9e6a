"""Appeal packets and prevention checks (migration 0024).

``appeal_packet``: one per denial: the root cause, the letter template, the level and its
deadline, the letter as the biller edited it (draft, then final with the PDF kept and its SHA-256
in the audit trail, then sent on a date), and the appeal it filed.

``prevention_check``: a denial pattern that recurred (same payer, code and CARC in a rolling
window) proposed as a pre-submission check; a person accepts or dismisses it, and an accepted one
holds matching claims in the scrubber (rule CLN001) with the pattern as its source.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["AppealPacketRow", "PreventionCheckRow"]


class AppealPacketRow(ClinicOwned, Base):
    __tablename__ = "appeal_packet"
    __table_args__ = (
        Unique("denial_id"),
        CheckConstraint("status IN ('draft','final','sent')", name="status"),
    )
    denial_id: Mapped[int] = mapped_column(ForeignKey("denial.id"))
    cause: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(24))
    level: Mapped[int] = mapped_column()
    deadline: Mapped[dt.date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(5))
    edited_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    edited_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finalised_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    finalised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # the final packet, as sent
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeal.id"))


class PreventionCheckRow(ClinicOwned, Base):
    __tablename__ = "prevention_check"
    __table_args__ = (
        Unique("clinic_id", "payer_id", "code", "carc"),
        CheckConstraint("status IN ('proposed','accepted','dismissed')", name="status"),
    )
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    code: Mapped[str] = mapped_column(String(5))
    carc: Mapped[str] = mapped_column(String(5))
    with_code: Mapped[str | None] = mapped_column(String(5))
    cause: Mapped[str] = mapped_column(String(20))
    denials: Mapped[int] = mapped_column()
    first_on: Mapped[dt.date] = mapped_column(Date)
    last_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(9))
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
