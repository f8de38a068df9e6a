"""Setting up a clinic: the clinic itself, its users and roles (providers, payers and fees live in
``providers`` and ``payers``; they are re-exported here for the demo loader and older callers).

Why in a service: each step validates what the core can check (NPI check digit, credential,
role names, payer profile name) before storage sees it, and records users in the audit trail in
the same transaction. Passwords are hashed with Argon2id (argon2-cffi); no password is stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from otbill.domain.clinic_setup import PayerTerms, ProviderDetails
from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services.clinic.clinics import clinic_by_code, list_clinics
from otbill.services.clinic.fields import clinic_username
from otbill.services.clinic.identity import checked_clinic
from otbill.services.clinic.passwords import hash_password, matches, needs_rehash
from otbill.services.clinic.payers import add_overhead, add_payer_terms, set_fee
from otbill.services.clinic.providers import CREDENTIALS, add_provider_details
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.clinics import ClinicDirectory

__all__ = [
    "CREDENTIALS",
    "add_overhead",
    "add_payer",
    "add_provider",
    "add_user",
    "clinic_by_code",
    "create_clinic",
    "hash_password",
    "list_clinics",
    "require_actor_role",
    "require_role",
    "set_fee",
    "set_user_roles",
    "user_roles",
    "verify_password",
]


def create_clinic(
    db: Database,
    *,
    code: str,
    name: str,
    npi_number: str,
    tax_id: str,
    address: tuple[str, str, str, str],
    taxonomy: str = "225X00000X",
    pay_to: tuple[str, str, str, str] | None = None,
) -> int:
    """A new clinic (billing entity), every field checked (:func:`checked_clinic`). Returns its
    id."""
    clinic_id, _ = ClinicDirectory(db).create(
        checked_clinic(code, name, npi_number, tax_id, address, taxonomy, pay_to)
    )
    return clinic_id


def _check_roles(roles: Iterable[str]) -> list[str]:
    try:
        return sorted({Role(r).value for r in roles})
    except ValueError as exc:
        raise RecordError(f"user: {exc}; roles are {', '.join(r.value for r in Role)}") from exc


def add_user(
    uow: UnitOfWork, *, username: str, full_name: str, password: str, roles: Iterable[str]
) -> int:
    """A user with roles; the password is stored only as an Argon2id hash."""
    wanted = _check_roles(roles)
    username = clinic_username(username)
    if uow.users.id_by_username(username) is not None:  # without case, like clinic codes
        raise RecordError(f"The user name {username} is taken in this clinic: choose another.")
    user_id = uow.users.add(username, full_name, hash_password(password))
    uow.users.grant(user_id, wanted)
    uow.audit.record(
        uow.actor_id,
        "user.create",
        "user",
        user_id,
        None,
        {"username": username, "full_name": full_name, "roles": wanted},
    )
    return user_id


def set_user_roles(uow: UnitOfWork, user_id: int, roles: Iterable[str]) -> list[str]:
    """Replace a user's roles; the clinic keeps at least one active admin. Returns the roles."""
    wanted = _check_roles(roles)
    before = uow.users.get(user_id, for_update=True)
    if not wanted:
        raise RecordError(f"user {before.username}: choose at least one role")
    if "admin" not in wanted and uow.users.active_admins() == {user_id}:
        raise RecordError(f"user {before.username}: the clinic's last active admin keeps admin")
    uow.users.set_roles(user_id, wanted)
    uow.audit.record(
        uow.actor_id, "user.roles", "user", user_id,
        {"roles": list(before.roles)}, {"roles": wanted},
    )  # fmt: skip
    return wanted


def verify_password(uow: UnitOfWork, username: str, password: str) -> int | None:
    """The user's id when the password matches, else None (also for unknown users)."""
    found = uow.users.password_hash(username)
    if found is None:
        return None
    user_id, stored = found
    if not matches(stored, password):
        return None
    if needs_rehash(stored):
        uow.users.set_password_hash(user_id, hash_password(password))
    return user_id


def user_roles(uow: UnitOfWork, user_id: int) -> set[str]:
    """The user's roles (:class:`NotFound` for a user of another clinic)."""
    return set(uow.users.roles(user_id))


def require_role(uow: UnitOfWork, user_id: int, *roles: Role) -> set[str]:
    """The user's roles, or :class:`PermissionDenied` unless one of ``roles`` (or admin) is held."""
    held = user_roles(uow, user_id)
    if not held & {r.value for r in (*roles, Role.ADMIN)}:
        names = " or ".join(r.value for r in roles)
        who = uow.users.get(user_id).full_name  # a name, never an internal id (issue 11, item 2)
        raise PermissionDenied(f"{who} needs the {names} role")
    return held


def require_actor_role(uow: UnitOfWork, *roles: Role) -> None:
    """The unit of work's user must hold one of ``roles`` (or admin).

    Why services check, not only routes: the CLI, the API, the import and the web all reach the
    same use case, and a role rule that lives in one route is missing from the others. A unit of
    work without a user is the system's own work (the demo loader, a migration) and is let through.
    """
    if uow.actor_id is not None:
        require_role(uow, uow.actor_id, *roles)


def add_provider(
    uow: UnitOfWork,
    *,
    npi_number: str,
    first_name: str,
    last_name: str,
    credential: str,
    taxonomy: str,
    supervisor_id: int | None = None,
    user_id: int | None = None,
) -> int:
    """A rendering provider (the demo's short form of :func:`add_provider_details`)."""
    details = ProviderDetails(
        0, npi_number, first_name, last_name, credential, taxonomy, supervisor_id, user_id
    )
    return add_provider_details(uow, details)


def add_payer(
    uow: UnitOfWork,
    *,
    payer_code: str,
    name: str,
    profile: str,
    known_profiles: Iterable[str] | None = None,
) -> int:
    """A payer with no contract terms yet (the demo's short form of :func:`add_payer_terms`)."""
    terms = PayerTerms(0, payer_code, name, profile)
    return add_payer_terms(uow, terms, known_profiles=known_profiles)
