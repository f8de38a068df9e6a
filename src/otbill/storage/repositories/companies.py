"""Billing companies and their users, asked before a clinic is known (the company login, whose
clinics a session may switch into), and each clinic's grants inside its own unit of work.

:class:`CompanyDirectory` answers over every clinic (the named all-clinics scope of row-level
security), each question in a short session of its own, like the other directories.
:class:`CompanyGrantRepository` is the unit of work's clinic's grants: a grant is written in the
granted clinic's transaction, beside its linked user and its audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.clinics import SessionSource
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables import ClinicRow, UserRoleRow, UserRow
from otbill.storage.tables.companies import BillingCompanyRow, CompanyGrantRow, CompanyUserRow

__all__ = [
    "Company",
    "CompanyDirectory",
    "CompanyGrantRepository",
    "CompanyUser",
    "GrantRecord",
    "GrantedClinic",
]


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CompanyUser:
    id: int
    company_id: int
    company_code: str
    username: str
    full_name: str
    owner: bool
    active: bool


@dataclass(frozen=True, slots=True)
class GrantedClinic:
    """A clinic a company user may work in now: its linked user there, and that user's roles."""

    clinic_id: int
    clinic_code: str
    clinic_name: str
    user_id: int
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GrantRecord:
    id: int
    user_id: int
    revoked_at: dt.datetime | None


def _company_user(row: CompanyUserRow, code: str) -> CompanyUser:
    return CompanyUser(
        row.id, row.company_id, code, row.username, row.full_name, row.owner, row.active
    )


class CompanyDirectory:
    """Companies and their users, across clinics (each call its own short transaction)."""

    def __init__(self, db: SessionSource) -> None:
        self._db = db

    def create(self, code: str, name: str, now: dt.datetime) -> int:
        with self._db.all_clinics() as session, session.begin():
            row = BillingCompanyRow(code=code, name=name, created_at=now)
            session.add(row)
            flush(session)
            return row.id

    def by_code(self, code: str) -> Company | None:
        query = select(BillingCompanyRow).where(BillingCompanyRow.code == code)
        with self._db.all_clinics() as session:
            row = session.scalars(query).one_or_none()
            return Company(row.id, row.code, row.name) if row else None

    def all(self) -> list[Company]:
        with self._db.all_clinics() as session:
            rows = session.scalars(select(BillingCompanyRow).order_by(BillingCompanyRow.code))
            return [Company(r.id, r.code, r.name) for r in rows]

    def add_user(
        self, company_id: int, username: str, full_name: str, password_hash: str, owner: bool
    ) -> int:
        row = CompanyUserRow(
            company_id=company_id, username=username, full_name=full_name,
            password_hash=password_hash, active=True, owner=owner,
        )  # fmt: skip
        with self._db.all_clinics() as session, session.begin():
            session.add(row)
            flush(session)
            return row.id

    def _users(self, *where: object) -> list[CompanyUser]:
        query = (
            select(CompanyUserRow, BillingCompanyRow.code)
            .join(BillingCompanyRow, BillingCompanyRow.id == CompanyUserRow.company_id)
            .where(*where)  # type: ignore[arg-type]
            .order_by(func.lower(CompanyUserRow.username))
        )
        with self._db.all_clinics() as session:
            return [_company_user(row, code) for row, code in session.execute(query)]

    def user(self, company_user_id: int) -> CompanyUser | None:
        found = self._users(CompanyUserRow.id == company_user_id)
        return found[0] if found else None

    def user_by_name(self, company_id: int, username: str) -> CompanyUser | None:
        found = self._users(
            CompanyUserRow.company_id == company_id,
            func.lower(CompanyUserRow.username) == username.lower(),
        )
        return found[0] if found else None

    def users(self, company_id: int) -> list[CompanyUser]:
        return self._users(CompanyUserRow.company_id == company_id)

    def password_hash(self, company_user_id: int) -> str | None:
        """The active company user's stored hash (None: no such active user)."""
        query = select(CompanyUserRow.password_hash).where(
            CompanyUserRow.id == company_user_id, CompanyUserRow.active.is_(True)
        )
        with self._db.all_clinics() as session:
            return session.scalar(query)

    def set_password_hash(self, company_user_id: int, password_hash: str) -> None:
        with self._db.all_clinics() as session, session.begin():
            row = session.get(CompanyUserRow, company_user_id)
            if row is not None:
                row.password_hash = password_hash

    def set_active(self, company_user_id: int, active: bool) -> None:
        with self._db.all_clinics() as session, session.begin():
            row = session.get(CompanyUserRow, company_user_id)
            if row is not None:
                row.active = active

    def live_grants(self, company_user_id: int) -> list[tuple[int, int]]:
        """(clinic id, linked user id) of every grant not revoked, active linked user or not;
        ``company_grant``'s company user index."""
        query = select(CompanyGrantRow.clinic_id, CompanyGrantRow.user_id).where(
            CompanyGrantRow.company_user_id == company_user_id,
            CompanyGrantRow.revoked_at.is_(None),
        )
        with self._db.all_clinics() as session:
            return [(c, u) for c, u in session.execute(query.order_by(CompanyGrantRow.clinic_id))]

    def granted_clinics(self, company_user_id: int) -> list[GrantedClinic]:
        """The clinics the company user may work in now (live grant, active linked user), by
        code, with the linked user's roles."""
        query = (
            select(ClinicRow.id, ClinicRow.code, ClinicRow.name, CompanyGrantRow.user_id)
            .join(CompanyGrantRow, CompanyGrantRow.clinic_id == ClinicRow.id)
            .join(UserRow, UserRow.id == CompanyGrantRow.user_id)
            .where(
                CompanyGrantRow.company_user_id == company_user_id,
                CompanyGrantRow.revoked_at.is_(None),
                UserRow.active.is_(True),
            )
            .order_by(ClinicRow.code)
        )
        with self._db.all_clinics() as session:
            rows = session.execute(query).all()
            user_ids = [user_id for *_, user_id in rows]
            roles: dict[int, list[str]] = {}
            role_rows = select(UserRoleRow.user_id, UserRoleRow.role).where(
                UserRoleRow.user_id.in_(user_ids)
            )
            for user_id, role in session.execute(role_rows):
                roles.setdefault(user_id, []).append(role)
        return [
            GrantedClinic(cid, code, name, uid, tuple(sorted(roles.get(uid, ()))))
            for cid, code, name, uid in rows
        ]

    def owner_of_linked_user(self, user_id: int) -> int | None:
        """The company user whose live grant owns this clinic user, else None."""
        query = select(CompanyGrantRow.company_user_id).where(
            CompanyGrantRow.user_id == user_id, CompanyGrantRow.revoked_at.is_(None)
        )
        with self._db.all_clinics() as session:
            return session.scalar(query)


class CompanyGrantRepository(ClinicScoped):
    """The unit of work's clinic's grants to company users."""

    def find(self, company_user_id: int) -> GrantRecord | None:
        query = select(CompanyGrantRow).where(
            CompanyGrantRow.clinic_id == self.clinic_id,
            CompanyGrantRow.company_user_id == company_user_id,
        )
        row = self.session.scalars(query).one_or_none()
        return GrantRecord(row.id, row.user_id, row.revoked_at) if row else None

    def add(self, company_user_id: int, user_id: int, now: dt.datetime, by: str) -> int:
        row = CompanyGrantRow(
            clinic_id=self.clinic_id, company_user_id=company_user_id, user_id=user_id,
            granted_at=now, granted_by=by[:120],
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def set_revoked(self, grant_id: int, at: dt.datetime) -> None:
        self._row(grant_id).revoked_at = at
        flush(self.session)

    def renew(self, grant_id: int, now: dt.datetime, by: str) -> None:
        """A revoked grant given again: live from ``now``, granted by ``by``."""
        row = self._row(grant_id)
        row.revoked_at, row.granted_at, row.granted_by = None, now, by[:120]
        flush(self.session)

    def _row(self, grant_id: int) -> CompanyGrantRow:
        return fetch(self.session, CompanyGrantRow, self.clinic_id, grant_id)
