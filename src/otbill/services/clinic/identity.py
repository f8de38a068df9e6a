"""The clinic as a billing entity: its checked identity, and the first run that creates it.

Why a first run: ``otbill serve --no-demo`` starts on an empty database that nobody can log into.
The first-run page (and ``otbill clinic create``) creates the clinic together with its first
admin in one transaction, so there is never a clinic without someone to run it; once any clinic
exists the first run is refused (a billing company adds more clinics from the CLI).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from otbill.domain.record_errors import RecordError
from otbill.services.clinic.fields import (
    address_of,
    checked_npi,
    clinic_username,
    ein_of,
    required,
    taxonomy_of,
)
from otbill.services.clinic.passwords import hash_password
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.clinics import (
    ClinicDirectory,
    ClinicRecord,
    FirstAdmin,
    FirstRunDone,
)

__all__ = [
    "MIN_PASSWORD",
    "FirstRunDone",
    "NewAdmin",
    "change_clinic",
    "checked_clinic",
    "first_run",
    "needs_first_run",
]

MIN_PASSWORD = 10
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,39}")

Parts = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class NewAdmin:
    username: str
    full_name: str
    password: str


def checked_clinic(
    code: str,
    name: str,
    npi_number: str,
    tax_id: str,
    address: Parts,
    taxonomy: str | None,
    pay_to: Parts | None = None,
) -> ClinicRecord:
    """The clinic's record with every field checked: code, legal name, EIN, organisation NPI,
    taxonomy, address and (when any part is given) the pay-to address."""
    short = required(code, "clinic code", longest=40).upper()
    if not _CODE.fullmatch(short):
        raise RecordError(f"clinic code {code!r}: letters, digits, - or _, 2 to 40 characters")
    where = address_of(*address, field="clinic address")
    pay = address_of(*pay_to, field="pay-to address") if pay_to and any(pay_to) else None
    return ClinicRecord(
        short,
        required(name, "legal name"),
        checked_npi(npi_number, "billing NPI"),
        ein_of(tax_id),
        taxonomy_of(taxonomy) if taxonomy else None,
        (where.line1, where.city, where.state, where.zip),
        (pay.line1, pay.city, pay.state, pay.zip) if pay else None,
    )


def _checked_admin(admin: NewAdmin, hash_password: Callable[[str], str]) -> FirstAdmin:
    if len(admin.password) < MIN_PASSWORD:
        raise RecordError(f"admin password: at least {MIN_PASSWORD} characters")
    return FirstAdmin(
        clinic_username(admin.username, "admin user name"),
        required(admin.full_name, "admin full name"),
        hash_password(admin.password),
    )


def needs_first_run(db: Database) -> bool:
    """Whether the database holds no clinic yet."""
    return not ClinicDirectory(db).any()


def first_run(
    db: Database, clinic: ClinicRecord, admin: NewAdmin, *, only_if_none: bool = True
) -> tuple[int, int]:
    """Create the clinic and its first admin in one transaction; (clinic id, admin user id).

    ``only_if_none`` (the first-run page): :class:`FirstRunDone` when a clinic exists already.
    The audit trail records both, in the new clinic's own chain.
    """
    first = _checked_admin(admin, hash_password)
    directory = ClinicDirectory(db)
    if directory.by_code(clinic.code) is not None:
        raise RecordError(f"clinic code {clinic.code}: already taken")
    clinic_id, user_id = directory.create(clinic, first, only_if_none=only_if_none)
    assert user_id is not None
    with db.unit_of_work(clinic_id, user_id) as uow:
        after = {"code": clinic.code, "name": clinic.name, "npi": clinic.npi}
        uow.audit.record(user_id, "clinic.create", "clinic", clinic_id, None, after)
        user = {"username": first.username, "full_name": first.full_name, "roles": ["admin"]}
        uow.audit.record(user_id, "user.create", "user", user_id, None, user)
    return clinic_id, user_id


def change_clinic(uow: UnitOfWork, clinic: ClinicRecord) -> None:
    """Change the clinic's billing identity (checked like a new one); its code stays.

    The record is checked here again, not trusted: an 837P's N4 takes the ZIP as stored, and a
    caller that built the record by hand with "78701-1234" would otherwise store a ZIP no claim
    can carry."""
    clinic = checked_clinic(
        clinic.code, clinic.name, clinic.npi, clinic.tax_id, clinic.address, clinic.taxonomy,
        clinic.pay_to,
    )  # fmt: skip
    before = uow.clinics.identity()
    if clinic.code != before.code:
        raise RecordError(f"clinic code {clinic.code}: the code cannot change (logins use it)")
    if any(p.npi == clinic.npi for p in uow.providers.all()):
        raise RecordError(
            f"billing NPI {clinic.npi}: a provider's individual NPI, not the clinic's"
        )
    uow.clinics.change_identity(clinic)
    uow.audit.record(
        uow.actor_id, "clinic.change", "clinic", uow.clinic_id, asdict(before), asdict(clinic)
    )
