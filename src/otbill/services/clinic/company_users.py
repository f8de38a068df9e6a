"""A billing company's users over time: each changes their own password; the company's owner (or
the server's operator) deactivates and reactivates a user.

Why through every granted clinic: a company user works as a linked user in each clinic granted
to them, and a clinic's audit trail is that clinic's. Changing the password or deactivating ends
the linked users' sessions in every clinic at once (a stolen cookie stops working), and each
clinic's trail gets a row (``company.password``, ``company.deactivate``, ``company.reactivate``;
never the password or its hash). A deactivated user cannot log in and their linked users are
inactive; reactivating brings back the clinics still granted (revoked grants stay revoked).
"""

from __future__ import annotations

from dataclasses import dataclass

from otbill.domain.record_errors import RecordError
from otbill.services.clinic.companies import CompanyAccess, CompanyUser, company_by_code
from otbill.services.clinic.passwords import hash_password, matches
from otbill.services.clinic.sessions import MIN_PASSWORD, session_clock
from otbill.storage import Database
from otbill.storage.repositories.companies import CompanyDirectory

__all__ = [
    "Changed",
    "change_company_password",
    "company_user_named",
    "owner_sets_user_active",
    "set_company_user_active",
]


@dataclass(frozen=True, slots=True)
class Changed:
    """What a change touched: the clinics whose trail has a row, and the sessions ended."""

    clinics: int
    sessions_ended: int


def company_user_named(db: Database, company_code: str, username: str) -> CompanyUser:
    """The company's user by name (any case), active or not; :class:`RecordError` in words."""
    company = company_by_code(db, company_code)
    if company is None:
        raise RecordError(f"company {company_code.strip().upper()}: no such billing company")
    user = CompanyDirectory(db).user_by_name(company.id, username.strip())
    if user is None:
        raise RecordError(f"user {username.strip()}: no such user in company {company.code}")
    return user


def _each_clinic(
    db: Database,
    user: CompanyUser,
    action: str,
    after: dict[str, object],
    *,
    active: bool | None,
    actors: dict[int, int] | None = None,
) -> Changed:
    """In every clinic granted to ``user`` (grant not revoked): set the linked user active or
    not (``active``; None leaves it), end its sessions unless reactivating, audit ``action``."""
    now, ended, grants = session_clock(), 0, CompanyDirectory(db).live_grants(user.id)
    for clinic_id, linked in grants:
        actor = (actors or {}).get(clinic_id)
        with db.unit_of_work(clinic_id, actor) as uow:
            if active is not None:
                uow.users.set_active(linked, active)
            here = 0 if active else uow.login_sessions.end_for_user(linked, now, action)
            who = {"company": user.company_code, "company_user": user.username}
            uow.audit.record(actor, action, "user", linked, None,
                             {**who, **after, "sessions_ended": here})  # fmt: skip
        ended += here
    return Changed(len(grants), ended)


def change_company_password(
    db: Database, user: CompanyUser, current: str, new: str, *, by: str
) -> Changed:
    """The company user changes their own password (the current one is checked); their
    sessions end in every clinic (they log in again with the new one)."""
    directory = CompanyDirectory(db)
    stored = directory.password_hash(user.id)
    if stored is None or not matches(stored, current):
        raise RecordError("current password: wrong")
    if len(new) < MIN_PASSWORD:
        raise RecordError(f"new password: at least {MIN_PASSWORD} characters")
    if new == current:
        raise RecordError("new password: the same as the current one")
    directory.set_password_hash(user.id, hash_password(new))
    return _each_clinic(db, user, "company.password", {"changed": True, "by": by}, active=None)


def set_company_user_active(
    db: Database,
    user: CompanyUser,
    active: bool,
    *,
    by: str,
    actors: dict[int, int] | None = None,
) -> Changed:
    """Deactivate (every session ends at once; no login) or reactivate a company user.
    ``actors``: who acts in each clinic (the owner's linked user there), else nobody named."""
    if user.active == active:
        state = "active" if active else "deactivated"
        raise RecordError(f"user {user.username}: already {state}")
    directory = CompanyDirectory(db)
    if not active:  # no new login from now on, then the clinics' sessions end
        directory.set_active(user.id, False)
    action = "company.reactivate" if active else "company.deactivate"
    changed = _each_clinic(db, user, action, {"active": active, "by": by}, active=active,
                           actors=actors)  # fmt: skip
    if active:
        directory.set_active(user.id, True)
    return changed


def owner_sets_user_active(
    db: Database, access: CompanyAccess, username: str, active: bool
) -> Changed:
    """The company's owner deactivates or reactivates another user of the company; audited
    under the owner's linked user in each clinic the owner holds."""
    if not access.user.owner:
        raise RecordError("users: only the company's owner may deactivate or reactivate users")
    user = company_user_named(db, access.company.code, username)
    if user.id == access.user.id:
        raise RecordError("users: you cannot deactivate yourself")
    actors = {c.clinic_id: c.user_id for c in access.clinics}
    by = f"{access.company.code}/{access.user.username}"
    return set_company_user_active(db, user, active, by=by, actors=actors)
