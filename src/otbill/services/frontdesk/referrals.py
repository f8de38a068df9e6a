"""Referring and certifying physicians, and the referrals they send.

A physician's NPI is checked with the Luhn/80840 rule (:mod:`otbill.codes.npi`); a referral's
diagnoses must be billable ICD-10-CM codes on its date (:mod:`otbill.codes.icd10cm`). Every
record goes through the audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from otbill.codes import icd10cm, npi
from otbill.domain.plans import Physician, Referral
from otbill.domain.record_errors import RecordError
from otbill.errors import OtbillError
from otbill.storage import UnitOfWork

__all__ = [
    "MAX_DIAGNOSES",
    "PAGE_SIZE",
    "add_physician",
    "change_physician",
    "check_diagnoses",
    "find_physicians",
    "get_physician",
    "get_referral",
    "patient_referrals",
    "record_referral",
]

PAGE_SIZE = 25
MAX_DIAGNOSES = 12  # the 837P carries at most 12 diagnosis pointers (HI segment)
_MAX_NAME = 100
_MAX_PHONE = 20
_MAX_NOTE = 2000


def _text(field: str, value: str, most: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RecordError(f"{field}: required")
    if len(value) > most:
        raise RecordError(f"{field}: at most {most} characters")
    return value


def _phone(field: str, value: str) -> str:
    value = _text(field, value, _MAX_PHONE, required=False)
    digits = "".join(c for c in value if c.isdigit())
    if value and len(digits) != 10:
        raise RecordError(f"{field} {value}: give 10 digits, area code first")
    return value


def check_diagnoses(diagnoses: Sequence[str], on: dt.date) -> tuple[str, ...]:
    """The diagnoses as billable ICD-10-CM codes on ``on``, or a message naming the bad one."""
    codes = [c.strip() for c in diagnoses if c.strip()]
    if not codes:
        raise RecordError("diagnoses: give at least one ICD-10-CM code")
    if len(codes) > MAX_DIAGNOSES:
        raise RecordError(f"diagnoses: at most {MAX_DIAGNOSES} codes")
    checked = []
    for code in codes:
        try:
            checked.append(icd10cm.validate(code, on))
        except OtbillError as error:
            raise RecordError(f"diagnosis {error}") from None
    return tuple(dict.fromkeys(checked))


def _npi(value: str) -> str:
    try:
        return npi.validate(value)
    except OtbillError as error:
        raise RecordError(f"physician {error}") from None


def _checked(uow: UnitOfWork, physician_id: int, names: tuple[str, str], npi_number: str,
             fax: str, phone: str) -> Physician:  # fmt: skip
    """The physician as typed, checked; its NPI no other physician of the clinic's."""
    physician = Physician(physician_id, _text("first name", names[0], _MAX_NAME),
                          _text("last name", names[1], _MAX_NAME), _npi(npi_number),
                          _phone("fax", fax), _phone("phone", phone))  # fmt: skip
    other = uow.plans.physician_by_npi(physician.npi)
    if other is not None and other.id != physician_id:
        raise RecordError(f"physician NPI {physician.npi}: already on file")
    return physician


def add_physician(
    uow: UnitOfWork,
    *,
    first_name: str,
    last_name: str,
    npi_number: str,
    fax: str = "",
    phone: str = "",
) -> int:
    """A referring/certifying physician; the NPI must be valid and new to the clinic."""
    physician = _checked(uow, 0, (first_name, last_name), npi_number, fax, phone)
    physician_id = uow.plans.add_physician(physician)
    uow.audit.record(uow.actor_id, "physician.create", "physician", physician_id, None,
                     {"name": physician.name, "npi": physician.npi})  # fmt: skip
    return physician_id


def change_physician(
    uow: UnitOfWork,
    physician_id: int,
    *,
    first_name: str,
    last_name: str,
    npi_number: str,
    fax: str = "",
    phone: str = "",
) -> None:
    """Correct a physician's name, NPI, fax or phone (checked as a new one)."""
    before = uow.plans.physician(physician_id)
    after = _checked(uow, physician_id, (first_name, last_name), npi_number, fax, phone)
    uow.plans.change_physician(after)
    uow.audit.record(uow.actor_id, "physician.update", "physician", physician_id,
                     dataclasses.asdict(before), dataclasses.asdict(after))  # fmt: skip


def record_referral(
    uow: UnitOfWork,
    *,
    patient_id: int,
    physician_id: int,
    referred_on: dt.date,
    diagnoses: Sequence[str],
    note: str = "",
    today: dt.date | None = None,
) -> int:
    """A physician's referral of a patient with its diagnoses; returns its id."""
    uow.patients.get(patient_id)
    uow.plans.physician(physician_id)
    if today is not None and referred_on > today:
        raise RecordError(f"referral date {referred_on}: is in the future")
    referral = Referral(0, patient_id, physician_id, referred_on,
                        check_diagnoses(diagnoses, referred_on),
                        _text("note", note, _MAX_NOTE, required=False))  # fmt: skip
    referral_id = uow.plans.add_referral(referral)
    uow.audit.record(uow.actor_id, "referral.create", "referral", referral_id, None,
                     {"patient_id": patient_id, "physician_id": physician_id,
                      "referred_on": referred_on.isoformat(),
                      "diagnoses": list(referral.diagnoses)})  # fmt: skip
    return referral_id


def find_physicians(uow: UnitOfWork, text: str = "", page: int = 1) -> list[Physician]:
    """One page of physicians whose name or NPI contains ``text``."""
    page = max(1, min(page, 10_000))
    return uow.plans.physicians(text.strip()[:100], limit=PAGE_SIZE,
                                offset=(page - 1) * PAGE_SIZE)  # fmt: skip


def patient_referrals(uow: UnitOfWork, patient_id: int) -> list[Referral]:
    """The patient's referrals, newest first (:class:`NotFound` for another clinic's patient)."""
    uow.patients.get(patient_id)
    return uow.plans.referrals_of(patient_id)


def get_physician(uow: UnitOfWork, physician_id: int) -> Physician:
    """One physician (:class:`NotFound` when not this clinic's)."""
    return uow.plans.physician(physician_id)


def get_referral(uow: UnitOfWork, referral_id: int) -> Referral:
    """One referral (:class:`NotFound` when not this clinic's)."""
    return uow.plans.referral(referral_id)
