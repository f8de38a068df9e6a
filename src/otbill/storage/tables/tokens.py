"""API tokens: per user, stored only as the SHA-256 of the token (the token itself is shown once).

Why a hash and not the token: a copy of the database must not let anyone call the API. SHA-256
(not Argon2) is right here because tokens are long random strings, not guessable passwords, and
every API call looks one up by its hash (a unique index).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ApiTokenRow"]


class ApiTokenRow(ClinicOwned, Base):
    __tablename__ = "api_token"
    __table_args__ = (Index("ix_api_token_user", "clinic_id", "user_id"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    name: Mapped[str] = mapped_column(String(80))  # what it is for: "EHR export", "nightly 835"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
