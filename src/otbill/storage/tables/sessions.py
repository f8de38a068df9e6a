"""Browser sessions kept on the server: the cookie holds a random id, the table its SHA-256.

Why on the server: a signed cookie that *is* the session stays valid until it expires, so a copied
cookie kept working after logout. A row here can be ended at logout, on a password change or by
an admin, and it ends by itself after ``idle`` minutes unused or ``absolute`` hours in all
(settings). Only the hash is stored, so a copy of the database does not log anyone in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["LoginSessionRow"]


class LoginSessionRow(ClinicOwned, Base):
    __tablename__ = "login_session"
    __table_args__ = (Index("ix_login_session_user", "clinic_id", "user_id"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the id
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(64))  # where it logged in from
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_why: Mapped[str | None] = mapped_column(String(40))  # logout, password, admin
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # flash messages and such
