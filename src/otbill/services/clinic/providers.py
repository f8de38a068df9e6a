"""The clinic's providers: therapists and assistants, their NPI, licence, supervisor and dates.

Why these checks: an NPI with a wrong check digit or the clinic's own organisation NPI on a
rendering provider is rejected by clearinghouses; an assistant (COTA, OTA, PTA) bills under a
supervising therapist (42 CFR 410.59), so an assistant needs one, and it must be a therapist of
this clinic, not another assistant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from typing import Any

from otbill.domain.clinic_setup import ProviderDetails
from otbill.domain.credentials import is_assistant
from otbill.domain.record_errors import NotFound, RecordError
from otbill.services.clinic.fields import checked_npi, dates_in_order, required, taxonomy_of
from otbill.storage import UnitOfWork

__all__ = ["CREDENTIALS", "add_provider_details", "change_provider", "list_providers"]

#: Credentials a provider may hold (the table's CHECK constraint lists the same).
CREDENTIALS = (
    "OTR/L", "OT", "OTR", "COTA", "COTA/L", "OTA", "PT", "DPT", "PTA", "SLP", "CCC-SLP", "SLPA",
)  # fmt: skip


def _audit_values(details: ProviderDetails) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(details).items()}


def _checked(uow: UnitOfWork, details: ProviderDetails) -> ProviderDetails:
    """``details`` with each field checked and normalised, or :class:`RecordError`."""
    label = f"provider {details.first_name} {details.last_name}".strip()
    if details.credential not in CREDENTIALS:
        raise RecordError(
            f"{label}: credential {details.credential!r} must be one of {', '.join(CREDENTIALS)}"
        )
    number = checked_npi(details.npi, "provider NPI")
    if number == uow.providers.billing().npi:
        raise RecordError(
            f"provider NPI {number}: that is the clinic's organisation NPI; "
            "a provider needs their own individual NPI"
        )
    _check_supervisor(uow, details, label)
    dates_in_order(details.hired_on, details.terminated_on, f"{label}: termination date")
    state = (details.license_state or "").strip().upper() or None
    if state is not None and (len(state) != 2 or not state.isalpha()):
        raise RecordError(f"{label}: licence state {state!r} must be two letters, such as MA")
    return replace(
        details,
        npi=number,
        first_name=required(details.first_name, "provider first name"),
        last_name=required(details.last_name, "provider last name"),
        taxonomy=taxonomy_of(details.taxonomy, "provider taxonomy code"),
        license_state=state,
        license_number=(details.license_number or "").strip() or None,
    )


def _check_supervisor(uow: UnitOfWork, details: ProviderDetails, label: str) -> None:
    if is_assistant(details.credential) and details.supervisor_id is None:
        raise RecordError(f"{label}: a {details.credential} needs a supervising therapist")
    if details.supervisor_id is None:
        return
    if details.supervisor_id == details.id:
        raise RecordError(f"{label}: cannot supervise themselves")
    try:
        supervisor = uow.providers.get(details.supervisor_id)
    except NotFound as exc:
        raise RecordError(
            f"{label}: supervisor {details.supervisor_id} is not a provider here"
        ) from exc
    if is_assistant(supervisor.credential):
        raise RecordError(
            f"{label}: supervisor {supervisor.first_name} {supervisor.last_name} is an assistant "
            f"({supervisor.credential}); choose a therapist"
        )


def add_provider_details(uow: UnitOfWork, details: ProviderDetails) -> int:
    """A new provider, checked (see the module's docstring); recorded in the audit trail."""
    checked = _checked(uow, details)
    provider_id = uow.providers.add(checked)
    after = _audit_values(replace(checked, id=provider_id))
    uow.audit.record(uow.actor_id, "provider.create", "provider", provider_id, None, after)
    return provider_id


def change_provider(uow: UnitOfWork, details: ProviderDetails) -> None:
    """Replace provider ``details.id`` with ``details``, checked the same way as a new one."""
    before = uow.providers.details_of(details.id)
    checked = _checked(uow, details)
    values = {k: v for k, v in asdict(checked).items() if k != "id"}
    uow.providers.change(details.id, values)
    uow.audit.record(
        uow.actor_id, "provider.change", "provider", details.id,
        _audit_values(before), _audit_values(checked),
    )  # fmt: skip


def list_providers(uow: UnitOfWork) -> list[ProviderDetails]:
    return uow.providers.details()
