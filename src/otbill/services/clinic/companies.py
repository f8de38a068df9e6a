"""Billing companies over many clinics: companies, their users, and the clinics granted to them.

A grant gives the company user a linked user in the granted clinic (``<COMPANY>/<username>``,
the grant's roles, a random password nobody knows), so everything they do there is audited in
that clinic's trail under a real actor, and every existing page and role check works unchanged.
Granting and revoking are audited in the clinic (``company.grant``, ``company.revoke``); a revoke
deactivates the linked user and ends its sessions, so the access stops at once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import RecordError
from otbill.services.clinic.clinics import clinic_by_code
from otbill.services.clinic.passwords import hash_password, matches, needs_rehash
from otbill.services.clinic.sessions import MIN_PASSWORD, session_clock
from otbill.storage import Database
from otbill.storage.repositories.companies import (
    Company,
    CompanyDirectory,
    CompanyUser,
    GrantedClinic,
)

__all__ = [
    "Company",
    "CompanyAccess",
    "CompanyUser",
    "GrantedClinic",
    "add_company_user",
    "company_access",
    "company_by_code",
    "company_login",
    "company_sign_in",
    "company_users",
    "create_company",
    "grant_clinic",
    "granted_clinics",
    "list_companies",
    "owner_grants_clinic",
    "owner_revokes_clinic",
    "revoke_clinic",
]

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


@dataclass(frozen=True, slots=True)
class CompanyAccess:
    """A company user as their session sees them: who, and the clinics granted now."""

    user: CompanyUser
    company: Company
    clinics: tuple[GrantedClinic, ...]

    def clinic(self, clinic_id: int) -> GrantedClinic | None:
        return next((c for c in self.clinics if c.clinic_id == clinic_id), None)


def create_company(db: Database, code: str, name: str) -> int:
    """A new billing company; its code logs its users in, so it must not be a clinic's code."""
    code = code.strip().upper()
    if not _CODE.match(code):
        raise RecordError(f"company code {code!r}: 2 to 20 letters, digits, - or _")
    if not name.strip():
        raise RecordError("company name: required")
    directory = CompanyDirectory(db)
    if directory.by_code(code) is not None or clinic_by_code(db, code) is not None:
        raise RecordError(f"company code {code}: a clinic or company has it already")
    return directory.create(code, name.strip(), session_clock())


def company_by_code(db: Database, code: str) -> Company | None:
    return CompanyDirectory(db).by_code(code.strip().upper())


def list_companies(db: Database) -> list[Company]:
    return CompanyDirectory(db).all()


def _company(db: Database, code: str) -> Company:
    company = company_by_code(db, code)
    if company is None:
        raise RecordError(f"company {code}: no such billing company")
    return company


def add_company_user(
    db: Database, company_code: str, username: str, full_name: str, password: str, *, owner: bool
) -> int:
    """A company user with their own login (Argon2id hash); ``owner`` may grant clinics."""
    company = _company(db, company_code)
    if not _USERNAME.match(username):
        raise RecordError(f"user name {username!r}: letters, digits, '.', '-' or '_' (up to 60)")
    if len(password) < MIN_PASSWORD:
        raise RecordError(f"password: at least {MIN_PASSWORD} characters")
    directory = CompanyDirectory(db)
    if directory.user_by_name(company.id, username) is not None:
        raise RecordError(f"user name {username}: taken in company {company.code}")
    return directory.add_user(
        company.id, username, full_name.strip() or username, hash_password(password), owner
    )


def company_users(db: Database, company_code: str) -> list[CompanyUser]:
    return CompanyDirectory(db).users(_company(db, company_code).id)


def company_login(
    db: Database, company_code: str, username: str, password: str
) -> CompanyUser | None:
    """The active company user when the password matches, else None (also for unknowns)."""
    company = company_by_code(db, company_code)
    directory = CompanyDirectory(db)
    user = directory.user_by_name(company.id, username.strip()) if company else None
    stored = directory.password_hash(user.id) if user else None
    if user is None or stored is None or not matches(stored, password):
        return None
    if needs_rehash(stored):
        directory.set_password_hash(user.id, hash_password(password))
    return user


def company_sign_in(db: Database, company_code: str, username: str, password: str) -> int | None:
    """The clinic user a company user's session starts as (the linked user of their first
    granted clinic); None for a wrong login; :class:`RecordError` when no clinic is granted."""
    user = company_login(db, company_code, username, password)
    if user is None:
        return None
    clinics = granted_clinics(db, user.id)
    if not clinics:
        raise RecordError("No clinic is granted to you yet: ask your company's owner.")
    return clinics[0].user_id


def granted_clinics(db: Database, company_user_id: int) -> list[GrantedClinic]:
    return CompanyDirectory(db).granted_clinics(company_user_id)


def company_access(db: Database, linked_user_id: int) -> CompanyAccess | None:
    """The company user behind a clinic user (a live grant's linked user), else None."""
    directory = CompanyDirectory(db)
    company_user_id = directory.owner_of_linked_user(linked_user_id)
    user = directory.user(company_user_id) if company_user_id is not None else None
    if user is None or not user.active:
        return None
    company = directory.by_code(user.company_code)
    assert company is not None  # a user's company exists (foreign key)
    return CompanyAccess(user, company, tuple(directory.granted_clinics(user.id)))


def _roles(roles: Iterable[str]) -> list[str]:
    try:
        wanted = sorted({Role(r.strip()).value for r in roles})
    except ValueError as exc:
        raise RecordError(f"roles: {exc}; roles are {', '.join(r.value for r in Role)}") from exc
    if not wanted:
        raise RecordError("roles: name at least one")
    return wanted


def grant_clinic(
    db: Database,
    company_user_id: int,
    clinic_id: int,
    roles: Iterable[str],
    *,
    actor_id: int | None,
    by: str,
) -> int:
    """Give the company user the clinic with ``roles`` (again, when revoked; new roles when
    granted already); returns the linked user's id. Audited in the clinic as ``actor_id``."""
    wanted = _roles(roles)
    directory = CompanyDirectory(db)
    user = directory.user(company_user_id)
    if user is None or not user.active:
        raise RecordError(f"company user {company_user_id}: no such active user")
    now = session_clock()
    with db.unit_of_work(clinic_id, actor_id) as uow:
        grant = uow.company_grants.find(user.id)
        if grant is None:
            linked = uow.users.add(
                f"{user.company_code}/{user.username}"[:80],
                f"{user.full_name} ({user.company_code})",
                hash_password(secrets.token_urlsafe(32)),  # no password of its own: nobody knows it
            )
            uow.users.grant(linked, wanted)
            uow.company_grants.add(user.id, linked, now, by)
            before = None
        else:
            linked = grant.user_id
            before = {
                "roles": list(uow.users.roles(linked)),
                "revoked": grant.revoked_at is not None,
            }
            uow.users.set_roles(linked, wanted)
            uow.users.set_active(linked, True)
            if grant.revoked_at is not None:
                uow.company_grants.renew(grant.id, now, by)
        after = {
            "company": user.company_code,
            "company_user": user.username,
            "roles": wanted,
            "by": by,
        }
        uow.audit.record(actor_id, "company.grant", "user", linked, before, after)
    return linked


def revoke_clinic(
    db: Database, company_user_id: int, clinic_id: int, *, actor_id: int | None, by: str
) -> int:
    """End the company user's access to the clinic at once: the grant is revoked, the linked
    user deactivated and its sessions ended (how many are returned). Audited in the clinic."""
    now = session_clock()
    with db.unit_of_work(clinic_id, actor_id) as uow:
        grant = uow.company_grants.find(company_user_id)
        if grant is None or grant.revoked_at is not None:
            raise RecordError(f"company user {company_user_id}: holds no grant of this clinic")
        uow.company_grants.set_revoked(grant.id, now)
        uow.users.set_active(grant.user_id, False)
        ended = uow.login_sessions.end_for_user(grant.user_id, now, "grant revoked")
        uow.audit.record(
            actor_id, "company.revoke", "user", grant.user_id, {"revoked": False},
            {"revoked": True, "sessions_ended": ended, "by": by},
        )  # fmt: skip
    return ended


def _owners_clinic(
    db: Database, access: CompanyAccess, clinic_id: int, target_username: str
) -> tuple[GrantedClinic, CompanyUser]:
    """The owner's granted clinic and the company user they grant it to (or refusals)."""
    if not access.user.owner:
        raise RecordError("grants: only the company's owner may grant or revoke clinics")
    clinic = access.clinic(clinic_id)
    if clinic is None:
        raise RecordError(f"clinic {clinic_id}: not one of your clinics")
    target = CompanyDirectory(db).user_by_name(access.company.id, target_username.strip())
    if target is None:
        raise RecordError(f"user {target_username}: no such user in {access.company.code}")
    return clinic, target


def owner_grants_clinic(
    db: Database, access: CompanyAccess, target_username: str, clinic_id: int, roles: Iterable[str]
) -> int:
    """The company's owner gives one of their clinics to a user of the company, with roles the
    owner holds there (an admin there may give any); audited under the owner's user there."""
    clinic, target = _owners_clinic(db, access, clinic_id, target_username)
    wanted = _roles(roles)
    beyond = set(wanted) - set(clinic.roles)
    if beyond and "admin" not in clinic.roles:
        raise RecordError(
            f"roles: you do not hold {', '.join(sorted(beyond))} in {clinic.clinic_code}"
        )
    by = f"{access.company.code}/{access.user.username}"
    return grant_clinic(db, target.id, clinic_id, wanted, actor_id=clinic.user_id, by=by)


def owner_revokes_clinic(
    db: Database, access: CompanyAccess, target_username: str, clinic_id: int
) -> int:
    """The company's owner ends a company user's access to one of the owner's clinics."""
    clinic, target = _owners_clinic(db, access, clinic_id, target_username)
    if target.id == access.user.id:
        raise RecordError("grants: you cannot revoke your own clinic here (use the command line)")
    by = f"{access.company.code}/{access.user.username}"
    return revoke_clinic(db, target.id, clinic_id, actor_id=clinic.user_id, by=by)
