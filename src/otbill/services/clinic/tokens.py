"""API tokens for integrators: created for a user, shown once, stored as SHA-256, revocable.

A token is ``otb_`` + 43 URL-safe random characters (256 bits). Only its SHA-256 (hex) is stored,
with its first characters so an admin can tell tokens apart. A call with the token acts as its user,
with that user's current roles: deactivating the user or revoking the token ends its use.
"""

from __future__ import annotations

import hashlib
import secrets

from otbill.domain.record_errors import RecordError
from otbill.storage import Database, UnitOfWork
from otbill.storage.audit import utcnow
from otbill.storage.repositories.users import AccountDirectory, TokenInfo

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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(uow: UnitOfWork, user_id: int, name: str) -> tuple[int, str]:
    """A new token for ``user_id``: returns (id, the token). The token is never stored."""
    name = name.strip()
    if not name:
        raise RecordError("API token: give it a name saying what it is for")
    user = uow.users.get(user_id)
    if not user.active:
        raise RecordError(f"API token: user {user.username} is deactivated")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[:_SHOWN]
    token_id = uow.users.add_token(
        user.id, name[:80], hash_token(token), prefix, created_at=utcnow(), created_by=uow.actor_id
    )
    uow.audit.record(
        uow.actor_id, "token.create", "api_token", token_id, None,
        {"user_id": user.id, "name": name[:80], "prefix": prefix},
    )  # fmt: skip
    return token_id, token


def revoke_token(uow: UnitOfWork, token_id: int) -> bool:
    """Revoke a token (refused from then on); False when it was revoked already."""
    if uow.users.token_revoked_at(token_id) is not None:
        return False
    uow.users.revoke_token(token_id, utcnow())
    uow.audit.record(
        uow.actor_id, "token.revoke", "api_token", token_id, {"revoked": False}, {"revoked": True}
    )
    return True


def list_tokens(uow: UnitOfWork) -> list[TokenInfo]:
    """The clinic's tokens, newest first (never the tokens themselves)."""
    return uow.users.tokens()


def resolve_token(db: Database, token: str) -> tuple[int, int] | None:
    """(clinic id, user id) of a live token of an active user, else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return AccountDirectory(db).token_owner(hash_token(token))
