"""Login sessions: found by the hash of the cookie's id before the clinic is known, ended one at a
time (logout) or all of a user's at once (password change, an admin).

See ``otbill.storage.tables.sessions`` for why sessions live on the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.clinics import SessionSource
from otbill.storage.tables import LoginSessionRow, UserRow

__all__ = ["LiveSession", "LoginSessionRepository", "SessionDirectory", "SessionInfo"]


@dataclass(frozen=True, slots=True)
class LiveSession:
    id: int
    clinic_id: int
    user_id: int
    last_seen_at: dt.datetime
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    address: str | None


class SessionDirectory:
    """Sessions of every clinic, by the SHA-256 of their id (each call its own transaction)."""

    def __init__(self, db: SessionSource) -> None:
        self._db = db

    def add(
        self,
        user_id: int,
        token_hash: str,
        now: dt.datetime,
        address: str | None,
        data: dict[str, Any],
    ) -> int | None:
        """A new session for an active user (None: no such active user)."""
        with self._db.all_clinics() as session, session.begin():
            user = session.get(UserRow, user_id)
            if user is None or not user.active:
                return None
            row = LoginSessionRow(
                clinic_id=user.clinic_id, user_id=user_id, token_hash=token_hash, created_at=now,
                last_seen_at=now, address=(address or "")[:64] or None, data=data,
            )  # fmt: skip
            session.add(row)
            session.flush()
            return row.id

    def live(
        self, token_hash: str, now: dt.datetime, idle: dt.timedelta, absolute: dt.timedelta
    ) -> LiveSession | None:
        """The session with this hash when not ended and within both timeouts; a session found
        past a timeout is ended there and then (``idle`` or ``expired``)."""
        with self._db.all_clinics() as session, session.begin():
            row = session.scalars(
                select(LoginSessionRow).where(LoginSessionRow.token_hash == token_hash)
            ).one_or_none()
            if row is None or row.ended_at is not None:
                return None
            why = (
                "expired" if now - row.created_at > absolute
                else "idle" if now - row.last_seen_at > idle
                else None
            )  # fmt: skip
            if why is not None:
                row.ended_at, row.ended_why = now, why
                return None
            return LiveSession(row.id, row.clinic_id, row.user_id, row.last_seen_at, dict(row.data))

    def touch(self, session_id: int, now: dt.datetime, data: dict[str, Any] | None) -> None:
        """Mark the session used now (and store its data, when given)."""
        values: dict[str, Any] = {"last_seen_at": now}
        if data is not None:
            values["data"] = data
        query = update(LoginSessionRow).where(
            LoginSessionRow.id == session_id, LoginSessionRow.ended_at.is_(None)
        )
        with self._db.all_clinics() as session, session.begin():
            session.execute(query.values(**values))

    def end(self, session_id: int, now: dt.datetime, why: str) -> None:
        query = update(LoginSessionRow).where(
            LoginSessionRow.id == session_id, LoginSessionRow.ended_at.is_(None)
        )
        with self._db.all_clinics() as session, session.begin():
            session.execute(query.values(ended_at=now, ended_why=why))


class LoginSessionRepository(ClinicScoped):
    """The clinic's live sessions, and ending a user's (inside the unit of work, audited)."""

    def live_of(self, user_id: int | None = None) -> list[SessionInfo]:
        query = select(LoginSessionRow).where(
            LoginSessionRow.clinic_id == self.clinic_id, LoginSessionRow.ended_at.is_(None)
        )
        if user_id is not None:
            query = query.where(LoginSessionRow.user_id == user_id)
        rows = self.session.scalars(query.order_by(LoginSessionRow.last_seen_at.desc()))
        return [SessionInfo(r.id, r.user_id, r.created_at, r.last_seen_at, r.address) for r in rows]

    def end_for_user(self, user_id: int, now: dt.datetime, why: str) -> int:
        """End every live session of the user; how many were ended."""
        query = (
            update(LoginSessionRow)
            .where(
                LoginSessionRow.clinic_id == self.clinic_id,
                LoginSessionRow.user_id == user_id,
                LoginSessionRow.ended_at.is_(None),
            )
            .values(ended_at=now, ended_why=why)
        )
        return int(self.session.execute(query).rowcount or 0)  # type: ignore[attr-defined]
