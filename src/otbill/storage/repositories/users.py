"""Users, their roles and API tokens; the lookups a login or an API call makes.

:class:`UserRepository` is the unit of work's clinic's users. :class:`AccountDirectory` answers the
two questions asked before the clinic is known: whose session is this user id, whose API token is
this hash; it opens a short session of its own per question. Named queries return plain records;
ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.clinics import SessionSource
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables import ClinicRow, ProviderRow, UserRoleRow, UserRow
from otbill.storage.tables.tokens import ApiTokenRow

__all__ = ["AccountDirectory", "SignedIn", "TokenInfo", "UserAccount", "UserRepository"]


@dataclass(frozen=True, slots=True)
class UserAccount:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]  # sorted
    active: bool


@dataclass(frozen=True, slots=True)
class SignedIn:
    """An active user as a session sees them: clinic, roles, and their provider record if any."""

    id: int
    clinic_id: int
    clinic_code: str
    username: str
    full_name: str
    roles: frozenset[str]
    provider_id: int | None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token as the admin page lists it (never the token itself)."""

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


class UserRepository(ClinicScoped):
    """The clinic's users, their roles and their API tokens."""

    def _row(self, user_id: int, *, for_update: bool = False) -> UserRow:
        return fetch(self.session, UserRow, self.clinic_id, user_id, for_update=for_update)

    def _roles_by_user(self) -> dict[int, list[str]]:
        query = select(UserRoleRow.user_id, UserRoleRow.role).where(
            UserRoleRow.clinic_id == self.clinic_id
        )
        roles: dict[int, list[str]] = {}
        for user_id, role in self.session.execute(query):
            roles.setdefault(user_id, []).append(role)
        return roles

    def add(self, username: str, full_name: str, password_hash: str) -> int:
        """A new active user; returns its id (a taken username: :class:`ConstraintViolation`)."""
        row = UserRow(
            clinic_id=self.clinic_id,
            username=username,
            full_name=full_name,
            password_hash=password_hash,
            active=True,
        )
        self.session.add(row)
        flush(self.session)
        return row.id

    def grant(self, user_id: int, roles: list[str]) -> None:
        for role in roles:
            self.session.add(UserRoleRow(clinic_id=self.clinic_id, user_id=user_id, role=role))

    def set_roles(self, user_id: int, roles: list[str]) -> None:
        """Replace the user's roles with ``roles`` (:class:`NotFound` for another clinic's)."""
        self._row(user_id, for_update=True)
        held = self.session.scalars(
            select(UserRoleRow).where(
                UserRoleRow.clinic_id == self.clinic_id, UserRoleRow.user_id == user_id
            )
        )
        for row in held:
            self.session.delete(row)
        flush(self.session)
        self.grant(user_id, roles)
        flush(self.session)

    def get(self, user_id: int, *, for_update: bool = False) -> UserAccount:
        """The user with their roles (:class:`NotFound` for another clinic's user)."""
        row = self._row(user_id, for_update=for_update)
        return UserAccount(row.id, row.username, row.full_name, self.roles(user_id), row.active)

    def accounts(self) -> list[UserAccount]:
        """Every user of the clinic, by username."""
        roles = self._roles_by_user()
        query = (
            select(UserRow).where(UserRow.clinic_id == self.clinic_id).order_by(UserRow.username)
        )
        return [
            UserAccount(u.id, u.username, u.full_name, tuple(sorted(roles.get(u.id, []))), u.active)
            for u in self.session.scalars(query)
        ]

    def usernames(self) -> dict[int, str]:
        """Every user's username by id (deactivated users too: the records name them)."""
        query = select(UserRow.id, UserRow.username).where(UserRow.clinic_id == self.clinic_id)
        return {user_id: name for user_id, name in self.session.execute(query)}

    def full_names(self, user_ids: set[int]) -> dict[int, str]:
        query = select(UserRow.id, UserRow.full_name).where(
            UserRow.clinic_id == self.clinic_id, UserRow.id.in_(user_ids)
        )
        return {user_id: name for user_id, name in self.session.execute(query)}

    def id_by_username(self, username: str) -> int | None:
        """Compared without case, like clinic codes ("RCole" is "rcole"; index of migration 0013)."""
        query = select(UserRow.id).where(
            UserRow.clinic_id == self.clinic_id, func.lower(UserRow.username) == username.lower()
        )
        return self.session.scalar(query)

    def password_hash(self, username: str) -> tuple[int, str] | None:
        """(id, stored password hash) of the active user with this username, else None."""
        query = select(UserRow.id, UserRow.password_hash).where(
            UserRow.clinic_id == self.clinic_id,
            func.lower(UserRow.username) == username.lower(),
            UserRow.active.is_(True),
        )
        found = self.session.execute(query.limit(1)).first()
        return (found[0], found[1]) if found else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._row(user_id).password_hash = password_hash

    def roles(self, user_id: int) -> tuple[str, ...]:
        """The user's roles, sorted (:class:`NotFound` for another clinic's user)."""
        self._row(user_id)
        query = select(UserRoleRow.role).where(
            UserRoleRow.clinic_id == self.clinic_id, UserRoleRow.user_id == user_id
        )
        return tuple(sorted(self.session.scalars(query)))

    def active_admins(self) -> set[int]:
        query = (
            select(UserRow.id)
            .join(UserRoleRow, UserRoleRow.user_id == UserRow.id)
            .where(UserRow.clinic_id == self.clinic_id, UserRow.active.is_(True))
            .where(UserRoleRow.role == "admin")
        )
        return set(self.session.scalars(query))

    def set_active(self, user_id: int, active: bool) -> None:
        self._row(user_id).active = active

    # --- API tokens -------------------------------------------------------------------------

    def add_token(
        self, user_id: int, name: str, token_hash: str, prefix: str, **made: object
    ) -> int:
        """A new token (``created_at``, ``created_by`` in ``made``); returns its id."""
        row = ApiTokenRow(
            clinic_id=self.clinic_id,
            user_id=user_id,
            name=name,
            token_hash=token_hash,
            prefix=prefix,
            created_at=made["created_at"],
            created_by=made.get("created_by"),
        )
        self.session.add(row)
        flush(self.session)
        return row.id

    def _token_row(self, token_id: int) -> ApiTokenRow:
        return fetch(self.session, ApiTokenRow, self.clinic_id, token_id)

    def token_revoked_at(self, token_id: int) -> dt.datetime | None:
        """When the token was revoked (None: live); :class:`NotFound` for another clinic's."""
        return self._token_row(token_id).revoked_at

    def revoke_token(self, token_id: int, at: dt.datetime) -> None:
        self._token_row(token_id).revoked_at = at

    def tokens(self) -> list[TokenInfo]:
        """The clinic's tokens, newest first."""
        query = (
            select(ApiTokenRow, UserRow.username)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(ApiTokenRow.clinic_id == self.clinic_id)
            .order_by(ApiTokenRow.id.desc())
        )
        return [
            TokenInfo(t.id, t.user_id, username, t.name, t.prefix, t.created_at, t.revoked_at)
            for t, username in self.session.execute(query)
        ]


class AccountDirectory:
    """Users of every clinic, found by id or token before the clinic is known."""

    def __init__(self, db: SessionSource) -> None:
        self._db = db

    def signed_in(self, user_id: int) -> SignedIn | None:
        """The active user with this id, with clinic code, roles and provider; else None."""
        with self._db.all_clinics() as session:
            row = session.get(UserRow, user_id)
            if row is None or not row.active:
                return None
            code = session.scalar(select(ClinicRow.code).where(ClinicRow.id == row.clinic_id))
            roles = session.scalars(select(UserRoleRow.role).where(UserRoleRow.user_id == user_id))
            provider = session.scalar(select(ProviderRow.id).where(ProviderRow.user_id == user_id))
            return SignedIn(
                row.id, row.clinic_id, code or "", row.username, row.full_name,
                frozenset(roles), provider,
            )  # fmt: skip

    def token_owner(self, token_hash: str) -> tuple[int, int] | None:
        """(clinic id, user id) of a live token of an active user, else None."""
        query = (
            select(ApiTokenRow.clinic_id, ApiTokenRow.user_id)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(
                ApiTokenRow.token_hash == token_hash,
                ApiTokenRow.revoked_at.is_(None),
                UserRow.active.is_(True),
                UserRow.clinic_id == ApiTokenRow.clinic_id,
            )
        )
        with self._db.all_clinics() as session:
            found = session.execute(query).first()
        return (found[0], found[1]) if found else None
