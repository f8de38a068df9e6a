"""The one channel of an authorization: every request, payer reply, call, fax or portal reference
and attached document, logged in order with its author, owner and due date.

Why one log and not fields on the authorization: clinics lose authorizations in scattered notes,
faxes and voicemails; one ordered log, with who owns the next step and by when, is what the
authorization work queue reads.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["AuthorizationEntryRow"]


class AuthorizationEntryRow(ClinicOwned, Base):
    __tablename__ = "authorization_entry"
    __table_args__ = (
        Index("ix_authorization_entry_authorization", "clinic_id", "authorization_id"),
    )
    authorization_id: Mapped[int] = mapped_column(ForeignKey("prior_authorization.id"))
    kind: Mapped[str] = mapped_column(String(16))  # request, reply, call, fax, portal, document
    text: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str | None] = mapped_column(String(80))  # call, fax or portal reference
    contact: Mapped[str | None] = mapped_column(String(120))  # the person spoken to
    document: Mapped[str | None] = mapped_column(String(300))  # an attached document's reference
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
