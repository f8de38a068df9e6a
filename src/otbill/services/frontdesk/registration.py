"""Registering a patient at the front desk: check what was typed, warn of a likely duplicate,
give an account number, and find patients again by name, birth date, member ID or account.

Why a warning and not a refusal for duplicates: two people can share a name and birth date (twins
are rare, namesakes are not); the clerk looks, then acknowledges and goes on. Why every field is
checked here: a wrong birth date or address on the patient's record is copied into every claim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace

from otbill.domain import addresses
from otbill.domain.parties import Patient
from otbill.domain.record_errors import RecordError
from otbill.domain.registration import EmergencyContact, Guarantor, Registration
from otbill.storage import UnitOfWork

__all__ = [
    "EARLIEST_BIRTH",
    "PAGE_SIZE",
    "PatientDetails",
    "PatientPage",
    "PossibleDuplicate",
    "edit_patient",
    "register_patient",
    "search_patients",
]

EARLIEST_BIRTH = dt.date(1900, 1, 1)
PAGE_SIZE = 25
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_DIGITS = 10


class PossibleDuplicate(RecordError):
    """A patient with the same name and birth date exists; register again with acknowledgement."""

    def __init__(self, matches: list[Patient]) -> None:
        self.matches = matches
        who = ", ".join(f"account {p.mrn} (patient {p.id})" for p in matches)
        super().__init__(
            f"possible duplicate: a patient with this name and date of birth is already "
            f"registered ({who}); check, then confirm to register anyway"
        )


@dataclass(frozen=True, slots=True)
class PatientDetails:
    """What the clerk types to register or edit a patient (the address as line, city, state,
    ZIP; all optional but the name, birth date and sex)."""

    first_name: str
    last_name: str
    dob: dt.date
    sex: str
    address: tuple[str, str, str, str] | None = None
    registration: Registration = field(default_factory=Registration)


@dataclass(frozen=True, slots=True)
class PatientPage:
    """One page of a patient search."""

    patients: list[Patient]
    total: int
    page: int
    pages: int


def _text(name: str, value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > limit:
        raise RecordError(f"{name}: at most {limit} characters")
    return value


def _phone(name: str, value: str | None) -> str | None:
    value = _text(name, value, 40)
    if value is not None and len(re.sub(r"\D", "", value)) < _PHONE_DIGITS:
        raise RecordError(f"{name} {value}: needs at least {_PHONE_DIGITS} digits")
    return value


def _address(name: str, address: tuple[str, str, str, str] | None) -> tuple[str, ...] | None:
    if address is None or not any(part.strip() for part in address):
        return None
    line1, city, state, zip_code = (part.strip() for part in address)
    if not line1 or not city:
        raise RecordError(f"{name}: needs the street and the city")
    return (line1, city, addresses.state_code(state, name), addresses.zip_code(zip_code, name))


def _check_dob(dob: dt.date, today: dt.date) -> dt.date:
    if dob > today:
        raise RecordError(f"date of birth {dob}: is in the future")
    if dob < EARLIEST_BIRTH:
        raise RecordError(f"date of birth {dob}: before {EARLIEST_BIRTH.year}; check the year")
    return dob


def _check_guarantor(guarantor: Guarantor | None) -> Guarantor | None:
    if guarantor is None:
        return None
    if not guarantor.first_name.strip() or not guarantor.last_name.strip():
        raise RecordError("guarantor: needs a first and last name (or choose 'self')")
    address = (guarantor.address_line1, guarantor.city, guarantor.state, guarantor.zip)
    line1, city, state, zip_code = _address("guarantor address", address) or ("",) * 4
    phone = _phone("guarantor phone", guarantor.phone) or ""
    return replace(
        guarantor, address_line1=line1, city=city, state=state, zip=zip_code, phone=phone
    )


def _checked_registration(reg: Registration, today: dt.date) -> Registration:
    email = _text("email", reg.email)
    if email is not None and not _EMAIL.fullmatch(email):
        raise RecordError(f"email {email}: not an email address")
    for name in ("consent_on", "benefits_assigned_on"):
        signed = getattr(reg, name)
        if signed is not None and signed > today:
            raise RecordError(f"{name.replace('_', ' ')} {signed}: is in the future")
    contact = reg.emergency_contact
    if contact is not None and not contact.name.strip():
        contact = None
    if contact is not None:
        phone = _phone("emergency contact phone", contact.phone) or ""
        contact = EmergencyContact(contact.name.strip(), contact.relationship.strip(), phone)
    return replace(
        reg,
        preferred_name=_text("preferred name", reg.preferred_name),
        phone=_phone("phone", reg.phone),
        email=email,
        preferred_language=_text("preferred language", reg.preferred_language, 40),
        emergency_contact=contact,
        guarantor=_check_guarantor(reg.guarantor),
    )


def _checked_patient(details: PatientDetails, today: dt.date, mrn: str, pid: int = 0) -> Patient:
    first = _text("first name", details.first_name)
    last = _text("last name", details.last_name)
    if first is None or last is None:
        raise RecordError("legal name: needs a first and a last name")
    if details.sex not in ("F", "M", "U"):
        raise RecordError(f"sex {details.sex!r}: F, M or U (unknown)")
    dob = _check_dob(details.dob, today)
    line1, city, state, zip_code = _address("address", details.address) or (None,) * 4
    return Patient(pid, mrn, first, last, dob, details.sex, line1, city, state, zip_code)


def _next_account_number(uow: UnitOfWork) -> str:
    last = uow.patients.last_account_number(to_add_one=True)
    number = int(last) + 1 if last and last.isdigit() else 1
    return f"{number:08d}"


def register_patient(
    uow: UnitOfWork,
    details: PatientDetails,
    *,
    today: dt.date,
    duplicate_acknowledged: bool = False,
) -> int:
    """A new patient with a new account number (also its MRN); :class:`PossibleDuplicate` when
    one with the same name and birth date exists and the clerk has not acknowledged it."""
    account = _next_account_number(uow)
    patient = _checked_patient(details, today, account)
    registration = replace(
        _checked_registration(details.registration, today), account_number=account
    )
    matches = uow.patients.named(patient.first_name, patient.last_name, patient.dob)
    if matches and not duplicate_acknowledged:
        raise PossibleDuplicate(matches)
    patient_id = uow.patients.register(patient, registration)
    after = {"account_number": account, "duplicate_acknowledged": bool(matches)}
    uow.audit.record(uow.actor_id, "patient.register", "patient", patient_id, None, after)
    return patient_id


def edit_patient(
    uow: UnitOfWork, patient_id: int, details: PatientDetails, *, today: dt.date
) -> None:
    """Correct a patient's demographics and registration; the account number stays."""
    before = uow.patients.get(patient_id)
    old = uow.patients.registration(patient_id)
    patient = _checked_patient(details, today, before.mrn, patient_id)
    account = old.account_number or _next_account_number(uow)
    registration = replace(
        _checked_registration(details.registration, today), account_number=account
    )
    uow.patients.change(patient, registration)
    changed = sorted(
        name
        for name, value in (asdict(patient) | asdict(registration)).items()
        if value != (asdict(before) | asdict(old)).get(name)
    )
    # the names of the fields changed, not their values: the trail carries no extra PHI
    uow.audit.record(
        uow.actor_id, "patient.edit", "patient", patient_id, None, {"changed": changed}
    )


def search_patients(
    uow: UnitOfWork, *, text: str = "", dob: dt.date | None = None, page: int = 1
) -> PatientPage:
    """A page of patients by name ("Lee" or "Lee, Ann"), member ID, account number or MRN,
    and birth date."""
    page = max(1, min(page, 10_000))
    found, total = uow.patients.search(
        text=text[:200], dob=dob, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return PatientPage(found, total, page, max(1, -(-total // PAGE_SIZE)))
