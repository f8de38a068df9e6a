"""Everyone who changed a claim's content, so none of them may approve it.

Why a table and not the claim's ``last_edited_by`` column: separation of duties bars every person
who created or changed the claim (a line edit, a fix), not only the last one; a later no-change
save by someone else must not clear an earlier editor. One row per (claim, person), holding that
person's latest content change in words and when it was made, so a refusal can say
"you edited line 2 on 3 Apr 2025".
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ClaimEditorRow"]


class ClaimEditorRow(ClinicOwned, Base):
    __tablename__ = "claim_editor"
    __table_args__ = (UniqueConstraint("claim_id", "user_id"),)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    what: Mapped[str] = mapped_column(String(120))  # "edited line 2", "applied a safe fix"
    at: Mapped[dt.datetime] = mapped_column(DateTime)
