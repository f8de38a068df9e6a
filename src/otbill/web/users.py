"""Loading the session's user from the records (roles, provider link), with a short cache."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

from otbill.services.clinic.accounts import signed_in_user
from otbill.storage import Database
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
        found = signed_in_user(self.db, user_id)
        return SessionUser(**dataclasses.asdict(found)) if found is not None else None
