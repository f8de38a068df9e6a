"""API tokens for integrators: created for a user, shown once, stored as SHA-256, revocable.

A token is ``otb_`` + 43 URL-safe random characters (256 bits). Only its SHA-256 (hex) is stored,
with its first characters so an admin can tell tokens apart. A call with the token acts as its user,
with that user's current roles: deactivating the user or revoking the token ends its use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from otbill.domain.record_errors import RecordError
from otbill.storage import Database, UnitOfWork
from otbill.storage.audit import utcnow
from otbill.storage.tables import UserRow
from otbill.storage.tables.tokens import ApiTokenRow

__all__ = [
    "TOKEN_PREFIX",
    "TokenInfo",
    "create_token",
    "hash_token",
    "list_tokens",
    "resolve_token",
    "revoke_token",
]

TOKEN_PREFIX = "otb_"
_SHOWN = 10  # characters of the token kept in clear, to recognise it


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user_id: int
    username: str
    name: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(uow: UnitOfWork, user_id: int, name: str) -> tuple[int, str]:
    """A new token for ``user_id``: returns (id, the token). The token is never stored."""
    name = name.strip()
    if not name:
        raise RecordError("API token: give it a name saying what it is for")
    user = uow.records.get(UserRow, user_id)
    if not user.active:
        raise RecordError(f"API token: user {user.username} is deactivated")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = uow.records.add(
        ApiTokenRow(
            user_id=user.id,
            name=name[:80],
            token_hash=hash_token(token),
            prefix=token[:_SHOWN],
            created_at=utcnow(),
            created_by=uow.actor_id,
        )
    )
    uow.flush()
    uow.audit.record(
        uow.actor_id, "token.create", "api_token", row.id, None,
        {"user_id": user.id, "name": row.name, "prefix": row.prefix},
    )  # fmt: skip
    return row.id, token


def revoke_token(uow: UnitOfWork, token_id: int) -> bool:
    """Revoke a token (refused from then on); False when it was revoked already."""
    row = uow.records.get(ApiTokenRow, token_id)
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    uow.audit.record(
        uow.actor_id, "token.revoke", "api_token", row.id, {"revoked": False}, {"revoked": True}
    )
    return True


def list_tokens(uow: UnitOfWork) -> list[TokenInfo]:
    """The clinic's tokens, newest first (never the tokens themselves)."""
    query = (
        select(ApiTokenRow, UserRow.username)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.clinic_id == uow.clinic_id)
        .order_by(ApiTokenRow.id.desc())
    )
    return [
        TokenInfo(t.id, t.user_id, username, t.name, t.prefix, t.created_at, t.revoked_at)
        for t, username in uow.session.execute(query)
    ]


def resolve_token(db: Database, token: str) -> tuple[int, int] | None:
    """(clinic id, user id) of a live token of an active user, else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    query = (
        select(ApiTokenRow.clinic_id, ApiTokenRow.user_id)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(
            ApiTokenRow.token_hash == hash_token(token),
            ApiTokenRow.revoked_at.is_(None),
            UserRow.active.is_(True),
            UserRow.clinic_id == ApiTokenRow.clinic_id,
        )
    )
    with db.session() as session:
        found = session.execute(query).first()
    return (found[0], found[1]) if found else None
