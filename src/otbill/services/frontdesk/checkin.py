"""Check-in: the patient arrived, the appointment becomes a visit on the therapist's day page.

Why through :func:`otbill.services.visits.record.record_visit`: the visit is created exactly as
the therapist's own "record a visit" creates it (plan of care and authorization in force, a draft
note of the appointment's visit type), with no services yet: the therapist enters codes and
minutes while documenting. Idempotent: a second check-in returns the same visit.

With no coverage in force, only a patient registered as self-pay is checked in: the visit has no
coverage (see :class:`otbill.domain.care.Visit`) and is charged to the patient's account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import AppointmentStatus
from otbill.payers import PayerProfile
from otbill.services.frontdesk.booking_warnings import booking_warnings, coverage_of
from otbill.services.visits.record import record_visit
from otbill.services.visits.warnings import VisitWarning
from otbill.storage import UnitOfWork

__all__ = ["CheckIn", "check_in"]


@dataclass(frozen=True, slots=True)
class CheckIn:
    visit_id: int
    already: bool  # checked in before: the same visit, nothing new written
    warnings: tuple[VisitWarning, ...]


def _place(uow: UnitOfWork, location_id: int | None) -> str:
    for location in uow.clinics.locations():
        if location.id == location_id:
            return location.place_of_service
    return "11"  # office, the usual place of an outpatient OT visit


def check_in(
    uow: UnitOfWork, appointment_id: int, *, profiles: Mapping[str, PayerProfile]
) -> CheckIn:
    """Turn the booked appointment into a visit (once); warnings as at booking."""
    appointment = uow.schedule.get(appointment_id, for_update=True)
    if appointment.visit_id is not None:
        return CheckIn(appointment.visit_id, True, ())
    if appointment.status != AppointmentStatus.BOOKED:
        raise RecordError(
            f"appointment {appointment_id}: {appointment.status}; only a booked appointment "
            "can be checked in"
        )
    coverage = coverage_of(uow, appointment)  # coverage may have changed since booking
    coverage_id = coverage.id if coverage else None
    self_pay = appointment.patient_id in uow.self_pay.self_pay_patients([appointment.patient_id])
    if coverage_id is None and not self_pay:
        raise RecordError(
            f"appointment {appointment_id}: no coverage on {appointment.date}; add the patient's "
            "insurance before checking in"
        )
    warnings = tuple(booking_warnings(uow, appointment, profiles))
    visit_id = record_visit(
        uow,
        patient_id=appointment.patient_id,
        coverage_id=coverage_id,
        provider_id=appointment.provider_id,
        date=appointment.date,
        services=(),
        note_type=appointment.visit_type,
        place_of_service=_place(uow, appointment.location_id),
        profiles=profiles,
    )
    uow.schedule.change(
        appointment.id, status=AppointmentStatus.CHECKED_IN.value, visit_id=visit_id
    )
    uow.audit.record(uow.actor_id, "appointment.check-in", "appointment", appointment.id,
                     {"status": appointment.status},
                     {"status": AppointmentStatus.CHECKED_IN.value, "visit_id": visit_id})  # fmt: skip
    return CheckIn(visit_id, False, warnings)
