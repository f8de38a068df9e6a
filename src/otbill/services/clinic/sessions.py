"""Login sessions kept on the server: started at login, ended at logout, on a password change,
by an admin, or by themselves after the idle or absolute timeout (settings).

The browser's cookie holds only a random id (256 bits); the database holds its SHA-256, so a
copy of the database logs nobody in, and an ended session's cookie is worth nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import RecordError
from otbill.services.clinic.passwords import hash_password, matches
from otbill.services.clinic.setup import require_role
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.sessions import LiveSession, SessionDirectory, SessionInfo

__all__ = [
    "LiveSession",
    "SessionInfo",
    "SessionPolicy",
    "change_password",
    "end_session",
    "end_user_sessions",
    "hash_session_id",
    "live_sessions",
    "new_session_id",
    "resolve_session",
    "save_session",
    "session_clock",
    "start_session",
]

MIN_PASSWORD = 10


def session_clock() -> dt.datetime:
    """Naive UTC now, from the machine's clock: timeouts are real time even in a run "as of" a
    day (``otbill.clock``), which dates records, not logins."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)
    touch_every: dt.timedelta = dt.timedelta(minutes=1)  # last_seen is written at most this often


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(
    db: Database, user_id: int, address: str | None, data: dict[str, Any], now: dt.datetime
) -> str | None:
    """A new session for the user: its id (for the cookie only), or None for no active user."""
    session_id = new_session_id()
    made = SessionDirectory(db).add(user_id, hash_session_id(session_id), now, address, data)
    return session_id if made is not None else None


def resolve_session(
    db: Database, session_id: str, policy: SessionPolicy, now: dt.datetime
) -> LiveSession | None:
    """The live session behind a cookie's id, else None (unknown, ended, idle or expired)."""
    if not session_id or len(session_id) > 100:
        return None
    return SessionDirectory(db).live(hash_session_id(session_id), now, policy.idle, policy.absolute)


def save_session(
    db: Database,
    live: LiveSession,
    data: dict[str, Any],
    policy: SessionPolicy,
    now: dt.datetime,
) -> None:
    """Store the session's changed data, and that it was used (at most every ``touch_every``)."""
    changed = data != live.data
    if changed or now - live.last_seen_at >= policy.touch_every:
        SessionDirectory(db).touch(live.id, now, data if changed else None)


def end_session(db: Database, live: LiveSession, why: str = "logout") -> None:
    SessionDirectory(db).end(live.id, session_clock(), why)


def end_user_sessions(uow: UnitOfWork, user_id: int, why: str = "admin") -> int:
    """End every session of a user of this clinic (an admin, or the user); audited."""
    if uow.actor_id != user_id:
        require_role(uow, uow.actor_id or 0, Role.ADMIN)
    user = uow.users.get(user_id)
    ended = uow.login_sessions.end_for_user(user.id, session_clock(), why)
    uow.audit.record(
        uow.actor_id, "user.sessions_end", "user", user.id, None,
        {"username": user.username, "sessions_ended": ended, "why": why},
    )  # fmt: skip
    return ended


def live_sessions(uow: UnitOfWork, user_id: int | None = None) -> list[SessionInfo]:
    """The clinic's live sessions (of one user, when given), most recently used first."""
    return uow.login_sessions.live_of(user_id)


def change_password(uow: UnitOfWork, user_id: int, current: str, new: str) -> int:
    """A user changes their own password (the current one is checked); every session of theirs
    ends, so a stolen cookie stops working with the old password. Returns sessions ended."""
    user = uow.users.get(user_id)
    found = uow.users.password_hash(user.username)
    if found is None or not matches(found[1], current):
        raise RecordError("current password: wrong")
    if len(new) < MIN_PASSWORD:
        raise RecordError(f"new password: at least {MIN_PASSWORD} characters")
    uow.users.set_password_hash(user.id, hash_password(new))
    uow.audit.record(uow.actor_id, "user.password", "user", user.id, None, {"changed": True})
    return end_user_sessions(uow, user.id, "password")
