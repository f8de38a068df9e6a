"""What the front desk should know about an appointment, at booking and at check-in, in plain words.

Nothing here blocks: every warning is shown, the desk decides. Six questions for the
appointment's date: is a coverage in force; was eligibility verified within the payer's window
(the ELG001 rule's ``eligibility_valid_days``); then the therapist's own warnings
(:func:`otbill.services.visits.warnings.visit_warnings`: authorization missing, exhausted or
expiring, plan of care not certified or due, progress report due, KX threshold near), asked of the
appointment as if it were the visit, with the visits booked before it counted as used. Last, for
the desk to say aloud, the copay due and the visits left from the payer's latest 271 on record.
A self-pay patient with no coverage has no payer to ask about: one note says the visit is charged
to the patient's account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from otbill.domain.care import Coverage, Visit
from otbill.domain.schedule import ACTIVE, Appointment
from otbill.payers import PayerProfile
from otbill.services.frontdesk.checkin_benefits import benefit_notes
from otbill.services.views.therapist_day import coverage_on
from otbill.services.visits.warnings import VisitWarning, visit_warnings
from otbill.storage import UnitOfWork

__all__ = ["booking_warnings", "coverage_in_force", "coverage_of"]

coverage_in_force = coverage_on  # the primary coverage in force on a day, as the therapist sees it


def _in_force(coverage: Coverage, on: dt.date) -> bool:
    started = coverage.effective_from is not None and coverage.effective_from <= on
    return started and (coverage.effective_to is None or coverage.effective_to >= on)


def coverage_of(uow: UnitOfWork, appointment: Appointment) -> Coverage | None:
    """The coverage the appointment's visit is billed to: the one chosen at booking while it is
    in force that day, else the patient's primary coverage in force (None: no coverage)."""
    if appointment.coverage_id is not None:
        chosen = uow.patients.coverage(appointment.coverage_id)
        if _in_force(chosen, appointment.date):
            return chosen
    return coverage_in_force(uow, appointment.patient_id, appointment.date)


def _eligibility(
    coverage: Coverage, payer: str, profile: PayerProfile, on: dt.date
) -> list[VisitWarning]:
    checked = coverage.eligibility_verified_on
    if checked is None:
        text = f"Eligibility with {payer} has never been verified: check it before {on}."
        return [VisitWarning("warning", "eligibility", text)]
    if coverage.eligibility_active is False:
        text = f"The last eligibility check ({checked}) showed the {payer} coverage inactive."
        return [VisitWarning("error", "eligibility", text)]
    valid = profile.eligibility_valid_days
    age = (on - checked).days
    if valid is not None and age > valid:
        text = (f"Eligibility with {payer} was verified on {checked}, {age} days before this "
                f"visit; {profile.name} accepts a check at most {valid} days old: verify again.")  # fmt: skip
        return [VisitWarning("warning", "eligibility", text)]
    return []


def _pending(uow: UnitOfWork, appointment: Appointment, coverage: Coverage) -> int:
    """This appointment plus the ones booked before it under the authorization in force."""
    auth = uow.authorizations.covering_on(coverage.id, appointment.date)
    if auth is None:
        return 1
    booked = uow.schedule.booked_count(
        coverage.id, auth.start_date, auth.end_date, before=appointment.date
    )
    return booked + 1


def _as_visit(uow: UnitOfWork, appointment: Appointment, coverage: Coverage) -> tuple[Visit, int]:
    """The visit the warnings are asked of, and how many unrecorded visits count up to it: once
    checked in, the recorded visit itself (nothing pending); before, the appointment as a visit
    not yet written (id 0), itself and the ones booked before it pending."""
    if appointment.visit_id is not None:
        return uow.visits.get(appointment.visit_id), 0
    plan = uow.patients.plan_on(appointment.patient_id, appointment.date)
    visit = Visit(0, appointment.patient_id, coverage.id, appointment.provider_id,
                  plan.id if plan else None, None, appointment.date, "11", False)  # fmt: skip
    return visit, _pending(uow, appointment, coverage)


def _patient_elsewhere(uow: UnitOfWork, appointment: Appointment) -> list[VisitWarning]:
    """The patient is booked at an overlapping time with someone else (co-treatment happens, so
    a warning, not a refusal)."""
    day = appointment.date
    same_day = uow.schedule.between(day, day, patient_id=appointment.patient_id, limit=50)
    return [
        VisitWarning(
            "warning",
            "schedule",
            f"The patient is also booked {other.starts}–{other.ends} on {day} "
            "with another therapist.",
        )
        for other in same_day
        if other.id != appointment.id and other.status in ACTIVE and other.overlaps(appointment)
    ]


def booking_warnings(
    uow: UnitOfWork, appointment: Appointment, profiles: Mapping[str, PayerProfile]
) -> list[VisitWarning]:
    """Every warning for the appointment, most serious first (an empty list: nothing to say)."""
    coverage = coverage_of(uow, appointment)
    if coverage is None and appointment.patient_id in uow.self_pay.self_pay_patients(
        [appointment.patient_id]
    ):  # no payer: none of a payer's questions, only the schedule's
        text = ("Self-pay: no insurance on file; the visit is charged to the patient's account "
                "at the clinic's price list.")  # fmt: skip
        return [*_patient_elsewhere(uow, appointment), VisitWarning("info", "self-pay", text)]
    if coverage is None:
        text = (f"No active coverage on {appointment.date}: add or renew the patient's insurance, "
                "or register the patient as self-pay.")  # fmt: skip
        return [VisitWarning("error", "coverage", text)]
    found: list[VisitWarning] = []
    if appointment.coverage_id not in (None, coverage.id):
        text = (f"The coverage chosen at booking is not in force on {appointment.date}; the "
                "visit goes to the patient's primary coverage that day.")  # fmt: skip
        found.append(VisitWarning("warning", "coverage", text))
    payer = uow.payers.get(coverage.payer_id)
    profile = profiles[payer.profile]
    visit, pending = _as_visit(uow, appointment, coverage)
    found += _patient_elsewhere(uow, appointment)
    found += _eligibility(coverage, payer.name, profile, appointment.date)
    found += benefit_notes(uow, coverage, payer.name)  # copay due, visits left (latest 271)
    found += visit_warnings(
        uow, visit, note_type=appointment.visit_type, profile=profile, pending=pending
    )
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda w: order[w.severity])
