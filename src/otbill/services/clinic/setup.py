"""Setting up a clinic: the clinic itself, its users and roles, providers, payers and fees.

Why in a service: each step validates what the core can check (NPI check digit, credential,
role names, payer profile name) before storage sees it, and records users in the audit trail in
the same transaction. Passwords are hashed with Argon2id (argon2-cffi); no password is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from otbill.codes import cpt, npi
from otbill.domain.credentials import is_assistant
from otbill.domain.lifecycle import Role
from otbill.domain.money import to_cents
from otbill.domain.record_errors import NotFound, PermissionDenied, RecordError
from otbill.services.clinic.clinics import clinic_by_code, list_clinics
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.clinics import ClinicDirectory, ClinicRecord

__all__ = [
    "CREDENTIALS",
    "add_overhead",
    "add_payer",
    "add_provider",
    "add_user",
    "clinic_by_code",
    "create_clinic",
    "list_clinics",
    "require_role",
    "set_fee",
    "user_roles",
    "verify_password",
]

CREDENTIALS = ("OTR/L", "COTA")
_HASHER = PasswordHasher()


def create_clinic(
    db: Database,
    *,
    code: str,
    name: str,
    npi_number: str,
    tax_id: str,
    address: tuple[str, str, str, str],
    taxonomy: str = "225X00000X",
) -> int:
    """A new clinic (billing entity); its NPI must pass the check digit. Returns its id."""
    record = ClinicRecord(code, name, npi.validate(npi_number), tax_id, taxonomy, address)
    return ClinicDirectory(db).create(record)


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
    user_id = uow.users.add(username, full_name, _HASHER.hash(password))
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


def verify_password(uow: UnitOfWork, username: str, password: str) -> int | None:
    """The user's id when the password matches, else None (also for unknown users)."""
    found = uow.users.password_hash(username)
    if found is None:
        return None
    user_id, stored = found
    try:
        _HASHER.verify(stored, password)
    except VerificationError:
        return None
    if _HASHER.check_needs_rehash(stored):
        uow.users.set_password_hash(user_id, _HASHER.hash(password))
    return user_id


def user_roles(uow: UnitOfWork, user_id: int) -> set[str]:
    """The user's roles (:class:`NotFound` for a user of another clinic)."""
    return set(uow.users.roles(user_id))


def require_role(uow: UnitOfWork, user_id: int, *roles: Role) -> set[str]:
    """The user's roles, or :class:`PermissionDenied` unless one of ``roles`` (or admin) is held."""
    held = user_roles(uow, user_id)
    if not held & {r.value for r in (*roles, Role.ADMIN)}:
        names = " or ".join(r.value for r in roles)
        raise PermissionDenied(f"user {user_id}: needs the {names} role")
    return held


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
    """A rendering provider; NPI checked (check digit), credential OTR/L or COTA."""
    if credential not in CREDENTIALS:
        raise RecordError(
            f"provider {npi_number}: credential {credential!r} must be "
            f"one of {', '.join(CREDENTIALS)}"
        )
    if is_assistant(credential) and supervisor_id is None:
        raise RecordError(f"provider {npi_number}: a COTA needs a supervising OTR/L")
    if supervisor_id is not None:
        uow.providers.get(supervisor_id)
    return uow.clinics.add_provider(
        {
            "npi": npi.validate(npi_number),
            "first_name": first_name,
            "last_name": last_name,
            "credential": credential,
            "taxonomy": taxonomy,
            "supervisor_id": supervisor_id,
            "user_id": user_id,
        }
    )


def add_payer(
    uow: UnitOfWork,
    *,
    payer_code: str,
    name: str,
    profile: str,
    known_profiles: Iterable[str] | None = None,
) -> int:
    if known_profiles is not None and profile not in set(known_profiles):
        raise NotFound("payer profile", profile)
    return uow.clinics.add_payer({"payer_code": payer_code, "name": name, "profile": profile})


def set_fee(
    uow: UnitOfWork,
    *,
    code: str,
    charge: Decimal,
    allowed: Decimal,
    effective_from: dt.date,
    payer_id: int | None = None,
) -> int:
    """The clinic's charge and expected allowed amount per unit of ``code`` (per payer or all)."""
    if payer_id is not None:
        uow.payers.get(payer_id)
    return uow.clinics.add_fee(
        {
            "payer_id": payer_id,
            "code": cpt.validate(code),
            "effective_from": effective_from,
            "charge_cents": to_cents(charge),
            "allowed_cents": to_cents(allowed),
        }
    )


def add_overhead(uow: UnitOfWork, *, month: dt.date, category: str, amount: Decimal) -> int:
    return uow.clinics.add_overhead(
        {"month": month.replace(day=1), "category": category, "amount_cents": to_cents(amount)}
    )
