"""Loading the session's user from the records (roles, provider link), with a short cache."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import select

from otbill.storage import Database
from otbill.storage.tables import ClinicRow, ProviderRow, UserRoleRow, UserRow
from otbill.web.security import SessionUser

__all__ = ["UserCache"]


@dataclass
class UserCache:
    """Users by id, re-read after ``ttl`` seconds so that a revoked role takes effect quickly."""

    db: Database
    ttl: float = 30.0
    _users: dict[int, tuple[float, SessionUser | None]] = field(default_factory=dict)

    def get(self, user_id: int) -> SessionUser | None:
        now = time.monotonic()
        hit = self._users.get(user_id)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        user = self._load(user_id)
        self._users[user_id] = (now, user)
        return user

    def forget(self, user_id: int) -> None:
        self._users.pop(user_id, None)

    def _load(self, user_id: int) -> SessionUser | None:
        with self.db.session() as session:
            row = session.get(UserRow, user_id)
            if row is None or not row.active:
                return None
            clinic = session.get(ClinicRow, row.clinic_id)
            roles = session.scalars(select(UserRoleRow.role).where(UserRoleRow.user_id == user_id))
            provider = session.scalar(select(ProviderRow.id).where(ProviderRow.user_id == user_id))
            return SessionUser(
                id=row.id,
                clinic_id=row.clinic_id,
                clinic_code=clinic.code if clinic else "",
                username=row.username,
                full_name=row.full_name,
                roles=frozenset(roles),
                provider_id=provider,
            )
