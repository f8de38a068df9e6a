"""The admin pages' reads and the one write ``services.clinic`` lacks: deactivating a user.

Why deactivate and never delete: claims, notes and the audit trail name their users; a user who
leaves keeps those rows and can no longer log in (nor use their API tokens).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.storage import UnitOfWork
from otbill.storage.tables import FeeScheduleRow, PayerRow, UserRoleRow, UserRow

__all__ = [
    "FeeView",
    "PayerView",
    "UserView",
    "list_fees",
    "list_payers",
    "list_users",
    "set_user_active",
]

_FEE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    active: bool


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


def list_users(uow: UnitOfWork) -> list[UserView]:
    roles: dict[int, list[str]] = {}
    for user_id, role in uow.session.execute(
        select(UserRoleRow.user_id, UserRoleRow.role).where(UserRoleRow.clinic_id == uow.clinic_id)
    ):
        roles.setdefault(user_id, []).append(role)
    return [
        UserView(u.id, u.username, u.full_name, tuple(sorted(roles.get(u.id, []))), u.active)
        for u in uow.records.find(UserRow, order=UserRow.username)
    ]


def set_user_active(uow: UnitOfWork, user_id: int, active: bool) -> None:
    """Deactivate (or reactivate) a user; nobody deactivates themselves or the last admin."""
    user = uow.records.get(UserRow, user_id, for_update=True)
    if user.active == active:
        return
    if not active:
        if user_id == uow.actor_id:
            raise RecordError(f"user {user.username}: you cannot deactivate yourself")
        admins = uow.session.scalars(
            select(UserRow.id)
            .join(UserRoleRow, UserRoleRow.user_id == UserRow.id)
            .where(UserRow.clinic_id == uow.clinic_id, UserRow.active.is_(True))
            .where(UserRoleRow.role == "admin")
        ).all()
        if set(admins) == {user_id}:
            raise RecordError(f"user {user.username}: the clinic's last active admin")
    user.active = active
    uow.audit.record(
        uow.actor_id,
        "user.activate" if active else "user.deactivate",
        "user",
        user.id,
        {"active": not active},
        {"active": active},
    )


def list_payers(uow: UnitOfWork) -> list[PayerView]:
    return [
        PayerView(p.id, p.payer_code, p.name, p.profile)
        for p in uow.records.find(PayerRow, order=PayerRow.name)
    ]


def list_fees(uow: UnitOfWork) -> list[FeeView]:
    """The fee schedule, by code then newest first (at most 500 rows)."""
    payers = {p.id: p.name for p in uow.records.find(PayerRow)}
    query = (
        uow.records.select(FeeScheduleRow)
        .order_by(FeeScheduleRow.code, FeeScheduleRow.effective_from.desc(), FeeScheduleRow.id)
        .limit(_FEE_LIMIT)
    )
    return [
        FeeView(
            f.id,
            payers.get(f.payer_id, "?") if f.payer_id is not None else "all payers",
            f.code,
            f.effective_from,
            str(from_cents(f.charge_cents)),
            str(from_cents(f.allowed_cents)),
        )
        for f in uow.session.scalars(query)
    ]
