"""Front-desk forms -> the services' inputs, with a message naming the field for bad input.

Why its own module: the registration and coverage forms have many fields; reading them here
keeps each route a few lines (parse, call one service, redirect or show the message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from otbill.domain.record_errors import RecordError
from otbill.domain.registration import EmergencyContact, Guarantor, Registration
from otbill.services.frontdesk.coverage import CoverageDetails, Subscriber
from otbill.services.frontdesk.registration import PatientDetails
from otbill.web.params import is_whole

__all__ = ["coverage_details", "field_of", "form_date", "patient_details"]

Form = Mapping[str, str]

# The start of a message (services and this module name the field first) -> the form field,
# so the page shows the message beside the field it is about.
_FIELDS = {
    "legal name": "first_name",
    "first name": "first_name",
    "last name": "last_name",
    "preferred name": "preferred_name",
    "date of birth": "dob",
    "sex": "sex",
    "address": "address_line1",
    "address state": "state",
    "address ZIP": "zip",
    "phone": "phone",
    "email": "email",
    "preferred language": "preferred_language",
    "emergency contact phone": "ec_phone",
    "guarantor": "g_first_name",
    "guarantor address": "g_address_line1",
    "guarantor phone": "g_phone",
    "consent": "consent_on",
    "benefits assigned": "benefits_assigned_on",
    "assignment of benefits": "benefits_assigned_on",
    "payer": "payer_id",
    "member ID": "member_id",
    "priority": "priority",
    "effective date": "effective_from",
    "termination date": "effective_to",
    "network": "network",
    "plan name": "plan_name",
    "copay": "copay",
    "coinsurance": "coinsurance_percent",
    "deductible": "deductible",
    "subscriber": "s_first_name",
    "subscriber date of birth": "s_dob",
    "subscriber address": "s_address_line1",
    "subscriber relationship": "relationship",
    "last day of coverage": "last_day",
    "eligibility check date": "eligibility_verified_on",
}


def field_of(message: str) -> str | None:
    """The form field a message is about (the longest label it starts with), or None."""
    labels = [label for label in _FIELDS if message.startswith(label)]
    return _FIELDS[max(labels, key=len)] if labels else None


def _get(form: Form, name: str) -> str:
    return (form.get(name) or "").strip()


def form_date(form: Form, name: str, label: str, *, required: bool = False) -> dt.date | None:
    """The field as a date (YYYY-MM-DD, what date inputs send), or a message naming it."""
    value = _get(form, name)
    if not value:
        if required:
            raise RecordError(f"{label}: required")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise RecordError(f"{label} {value!r}: not a date (YYYY-MM-DD)") from exc


def _address(form: Form, prefix: str = "") -> tuple[str, str, str, str]:
    return (
        _get(form, f"{prefix}address_line1"),
        _get(form, f"{prefix}city"),
        _get(form, f"{prefix}state"),
        _get(form, f"{prefix}zip"),
    )


def _guarantor(form: Form) -> Guarantor | None:
    if _get(form, "guarantor") != "other":
        return None
    line1, city, state, zip_code = _address(form, "g_")
    return Guarantor(
        _get(form, "g_first_name"),
        _get(form, "g_last_name"),
        _get(form, "g_relationship") or "other",
        line1,
        city,
        state,
        zip_code,
        _get(form, "g_phone"),
    )


def patient_details(form: Form) -> PatientDetails:
    """The registration form's fields as :class:`PatientDetails`."""
    contact = EmergencyContact(
        _get(form, "ec_name"), _get(form, "ec_relationship"), _get(form, "ec_phone")
    )
    registration = Registration(
        preferred_name=_get(form, "preferred_name"),
        phone=_get(form, "phone"),
        email=_get(form, "email"),
        preferred_language=_get(form, "preferred_language"),
        emergency_contact=contact if contact.name else None,
        guarantor=_guarantor(form),
        consent_on=form_date(form, "consent_on", "consent date"),
        benefits_assigned_on=form_date(form, "benefits_assigned_on", "assignment of benefits date"),
        self_pay=_get(form, "self_pay") in ("on", "true", "1"),
    )
    dob = form_date(form, "dob", "date of birth", required=True)
    assert dob is not None
    return PatientDetails(
        _get(form, "first_name"),
        _get(form, "last_name"),
        dob,
        _get(form, "sex"),
        _address(form),
        registration,
    )


def _money(form: Form, name: str, label: str) -> Decimal | None:
    value = _get(form, name).lstrip("$").replace(",", "")
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RecordError(f"{label} {value!r}: not an amount (e.g. 25.00)") from exc


def _whole(form: Form, name: str, label: str) -> int | None:
    value = _get(form, name).rstrip("%")
    if not value:
        return None
    if not is_whole(value, 6):
        raise RecordError(f"{label} {value!r}: a whole number")
    return int(value)


def _subscriber(form: Form) -> Subscriber | None:
    if _get(form, "relationship") in ("", "self"):
        return None
    dob = form_date(form, "s_dob", "subscriber date of birth", required=True)
    assert dob is not None
    return Subscriber(
        _get(form, "s_first_name"),
        _get(form, "s_last_name"),
        dob,
        _get(form, "s_sex") or "U",
        _address(form, "s_"),
    )


def coverage_details(form: Form) -> CoverageDetails:
    """The coverage form's fields as :class:`CoverageDetails`."""
    payer = _whole(form, "payer_id", "payer")
    if payer is None:
        raise RecordError("payer: choose one")
    start = form_date(form, "effective_from", "effective date", required=True)
    assert start is not None
    return CoverageDetails(
        payer_id=payer,
        member_id=_get(form, "member_id"),
        effective_from=start,
        effective_to=form_date(form, "effective_to", "termination date"),
        priority=_whole(form, "priority", "priority") or 1,
        relationship=_get(form, "relationship") or "self",
        subscriber=_subscriber(form),
        group_number=_get(form, "group_number") or None,
        network=_get(form, "network") or "in",
        plan_name=_get(form, "plan_name") or None,
        copay=_money(form, "copay", "copay"),
        coinsurance_percent=_whole(form, "coinsurance_percent", "coinsurance"),
        deductible=_money(form, "deductible", "deductible"),
        **_eligibility(form),
    )


def _eligibility(form: Form) -> dict[str, Any]:
    """An eligibility check already made (phone, portal): its date and whether it showed the
    coverage active; no date, no check."""
    checked = form_date(form, "eligibility_verified_on", "eligibility check date")
    if checked is None:
        return {}
    active = _get(form, "eligibility_active") != "no"
    return {"eligibility_verified_on": checked, "eligibility_active": active}
