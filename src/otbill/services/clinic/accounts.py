"""The admin pages' reads and the one write ``services.clinic`` lacks: deactivating a user.

Why deactivate and never delete: claims, notes and the audit trail name their users; a user who
leaves keeps those rows and can no longer log in (nor use their API tokens).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.services.clinic.sessions import session_clock
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.users import AccountDirectory, SignedIn
from otbill.storage.repositories.users import UserAccount as UserView

__all__ = [
    "FeeView",
    "PayerView",
    "SignedIn",
    "UserView",
    "list_fees",
    "list_payers",
    "list_users",
    "set_user_active",
    "signed_in_user",
    "user_by_username",
]

_FEE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class PayerView:
    id: int
    payer_code: str
    name: str
    profile: str


@dataclass(frozen=True, slots=True)
class FeeView:
    id: int
    payer: str  # "all payers" when the fee is the clinic's default
    code: str
    effective_from: dt.date
    charge: str
    allowed: str


def signed_in_user(db: Database, user_id: int) -> SignedIn | None:
    """The active user a session or token speaks for (any clinic), with roles; else None."""
    return AccountDirectory(db).signed_in(user_id)


def user_by_username(uow: UnitOfWork, username: str) -> int | None:
    """The id of the clinic's user with this username (active or not), else None."""
    return uow.users.id_by_username(username)


def list_users(uow: UnitOfWork) -> list[UserView]:
    """Every user of the clinic with their roles, by username."""
    return uow.users.accounts()


def set_user_active(uow: UnitOfWork, user_id: int, active: bool) -> None:
    """Deactivate (or reactivate) a user; nobody deactivates themselves or the last admin."""
    user = uow.users.get(user_id, for_update=True)
    if user.active == active:
        return
    if not active:
        if user_id == uow.actor_id:
            raise RecordError(f"user {user.username}: you cannot deactivate yourself")
        if uow.users.active_admins() == {user_id}:
            raise RecordError(f"user {user.username}: the clinic's last active admin")
    uow.users.set_active(user_id, active)
    ended = (
        0 if active else uow.login_sessions.end_for_user(user_id, session_clock(), "deactivated")
    )
    uow.audit.record(
        uow.actor_id,
        "user.activate" if active else "user.deactivate",
        "user",
        user_id,
        {"active": not active},
        {"active": active} | ({"sessions_ended": ended} if ended else {}),
    )


def list_payers(uow: UnitOfWork) -> list[PayerView]:
    payers = sorted(uow.payers.all(), key=lambda p: (p.name, p.id))
    return [PayerView(p.id, p.payer_code, p.name, p.profile) for p in payers]


def list_fees(uow: UnitOfWork) -> list[FeeView]:
    """The fee schedule, by code then newest first (at most 500 rows)."""
    payers = {p.id: p.name for p in uow.payers.all()}
    return [
        FeeView(
            f.id,
            payers.get(f.payer_id, "?") if f.payer_id is not None else "all payers",
            f.code,
            f.effective_from,
            str(from_cents(f.charge_cents)),
            str(from_cents(f.allowed_cents)),
        )
        for f in uow.clinics.fee_list(_FEE_LIMIT)
    ]
