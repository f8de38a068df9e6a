"""Plans of care: the therapist writes one per episode, the physician certifies it, and it is
recertified at least every 90 days (Pub 100-02, ch. 15, §220.1.3).

``certified_on`` is the date the signed plan came back to the clinic: the scrubber's POC001 and
POC002 and the claim builder read it as the certification. A signature received more than 30
days after the plan's start is a delayed certification and needs its reason recorded. The
therapist's signed evaluation can start the plan (:func:`plan_from_evaluation`): its goals, and
the frequency and duration written in its text, are carried over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from otbill.domain.care import PlanOfCare
from otbill.domain.lifecycle import Role
from otbill.domain.plans import (
    PlanDetail,
    certification_deadline,
    frequency_from_text,
    recert_due_from,
)
from otbill.domain.record_errors import RecordError
from otbill.services.clinic.setup import require_actor_role
from otbill.services.frontdesk.referrals import check_diagnoses
from otbill.storage import UnitOfWork

__all__ = [
    "MAX_GOALS",
    "PlanInput",
    "change_plan",
    "plan_from_evaluation",
    "recertify",
    "record_signature",
    "write_plan",
]

MAX_GOALS = 4000
MAX_PER_WEEK = 7
MAX_WEEKS = 52
_MAX_REASON = 1000
_EVALUATIONS = ("evaluation", "re-evaluation")


@dataclass(frozen=True, slots=True)
class PlanInput:
    """What the therapist writes on a plan of care."""

    patient_id: int
    physician_id: int
    start: dt.date
    diagnoses: Sequence[str]
    goals: str
    frequency_per_week: int
    duration_weeks: int
    referral_id: int | None = None


def _bounded(field: str, value: int, least: int, most: int) -> int:
    if not least <= value <= most:
        raise RecordError(f"{field} {value}: must be between {least} and {most}")
    return value


def _goals(goals: str) -> str:
    goals = (goals or "").strip()
    if not goals:
        raise RecordError("goals: write the plan's goals")
    if len(goals) > MAX_GOALS:
        raise RecordError(f"goals: at most {MAX_GOALS} characters")
    return goals


def _add(uow: UnitOfWork, given: PlanInput, detail: PlanDetail) -> int:
    # the plan is the therapist's clinical work (Pub 100-02 ch.15 §220.1.2: the plan is
    # established by the therapist); the front desk only records the physician's signature
    require_actor_role(uow, Role.THERAPIST)
    uow.patients.get(given.patient_id)
    physician = uow.plans.physician(given.physician_id)
    if given.referral_id is not None:
        referral = uow.plans.referral(given.referral_id)
        if referral.patient_id != given.patient_id:
            raise RecordError(f"referral {given.referral_id}: is another patient's referral")
    plan = PlanOfCare(0, given.patient_id, physician.npi, physician.first_name,
                      physician.last_name, given.start, None, recert_due_from(given.start),
                      check_diagnoses(given.diagnoses, given.start), _goals(given.goals),
                      _bounded("frequency per week", given.frequency_per_week, 1, MAX_PER_WEEK),
                      _bounded("duration in weeks", given.duration_weeks, 1, MAX_WEEKS))  # fmt: skip
    plan_id = uow.plans.add(plan, detail)
    uow.audit.record(uow.actor_id, "plan_of_care.create", "plan_of_care", plan_id, None,
                     {"patient_id": plan.patient_id, "physician_id": physician.id,
                      "start": plan.start.isoformat(), "diagnoses": list(plan.diagnoses),
                      "frequency_per_week": plan.frequency_per_week,
                      "duration_weeks": plan.duration_weeks,
                      "recertifies_id": detail.recertifies_id,
                      "evaluation_visit_id": detail.evaluation_visit_id})  # fmt: skip
    return plan_id


def write_plan(uow: UnitOfWork, given: PlanInput) -> int:
    """A new plan of care, awaiting the physician's signature; returns its id."""
    detail = PlanDetail(0, given.physician_id, given.referral_id)
    return _add(uow, given, detail)


def change_plan(uow: UnitOfWork, plan_id: int, given: PlanInput) -> None:
    """Correct a plan before the physician signs it (diagnoses, goals, frequency, duration,
    physician); a signed plan changes only by recertification."""
    require_actor_role(uow, Role.THERAPIST)
    plan, _ = uow.plans.get(plan_id)
    if plan.certified_on is not None:
        raise RecordError(f"plan of care {plan_id}: signed on {plan.certified_on}; recertify it")
    if given.patient_id != plan.patient_id or given.start != plan.start:
        raise RecordError(f"plan of care {plan_id}: its patient and start date stay as written")
    physician = uow.plans.physician(given.physician_id)
    after = dataclasses.replace(
        plan, certifying_npi=physician.npi, certifying_first_name=physician.first_name,
        certifying_last_name=physician.last_name,
        diagnoses=check_diagnoses(given.diagnoses, plan.start), goals=_goals(given.goals),
        frequency_per_week=_bounded("frequency per week", given.frequency_per_week, 1,
                                    MAX_PER_WEEK),
        duration_weeks=_bounded("duration in weeks", given.duration_weeks, 1, MAX_WEEKS),
    )  # fmt: skip
    uow.plans.change(after, physician_id=physician.id)
    uow.audit.record(uow.actor_id, "plan_of_care.update", "plan_of_care", plan_id,
                     _audited(plan), _audited(after))  # fmt: skip


def _audited(plan: PlanOfCare) -> dict[str, object]:
    return {"diagnoses": list(plan.diagnoses), "goals": plan.goals,
            "frequency_per_week": plan.frequency_per_week, "duration_weeks": plan.duration_weeks,
            "certifying_npi": plan.certifying_npi}  # fmt: skip


def record_signature(
    uow: UnitOfWork,
    plan_id: int,
    *,
    received_on: dt.date,
    delay_reason: str = "",
    today: dt.date | None = None,
) -> None:
    """Record the date the physician's signed plan came back; after the 30-day deadline a
    delayed certification needs its reason."""
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER, Role.THERAPIST)
    plan, _ = uow.plans.get(plan_id)
    if plan.certified_on is not None:
        raise RecordError(f"plan of care {plan_id}: signature received on {plan.certified_on}")
    if received_on < plan.start:
        raise RecordError(f"signature date {received_on}: is before the plan's start {plan.start}")
    if today is not None and received_on > today:
        raise RecordError(f"signature date {received_on}: is in the future")
    reason = (delay_reason or "").strip()
    deadline = certification_deadline(plan.start)
    if received_on > deadline and not reason:
        raise RecordError(
            f"delay reason: the signature came after the 30-day deadline ({deadline}); "
            "record why the certification was delayed"
        )
    if len(reason) > _MAX_REASON:
        raise RecordError(f"delay reason: at most {_MAX_REASON} characters")
    uow.plans.certify(plan_id, received_on, reason or None)
    uow.audit.record(uow.actor_id, "plan_of_care.certify", "plan_of_care", plan_id,
                     {"certified_on": None},
                     {"certified_on": received_on.isoformat(),
                      "delay_reason": reason or None})  # fmt: skip


def recertify(
    uow: UnitOfWork,
    plan_id: int,
    *,
    goals: str | None = None,
    frequency_per_week: int | None = None,
    duration_weeks: int | None = None,
    diagnoses: Sequence[str] | None = None,
) -> int:
    """The next 90-day plan continuing a certified one (from the day after its recertification
    date), awaiting the physician's signature; returns its id."""
    plan, detail = uow.plans.get(plan_id)
    if plan.certified_on is None:
        raise RecordError(f"plan of care {plan_id}: not certified yet; record its signature first")
    if uow.plans.recertified_ids([plan_id]):
        raise RecordError(f"plan of care {plan_id}: already recertified")
    if detail.physician_id is None:
        raise RecordError(f"plan of care {plan_id}: name its certifying physician first")
    start = (plan.recert_due or recert_due_from(plan.start)) + dt.timedelta(days=1)
    given = PlanInput(plan.patient_id, detail.physician_id, start,
                      diagnoses if diagnoses is not None else plan.diagnoses,
                      goals if goals is not None else plan.goals,
                      frequency_per_week or plan.frequency_per_week,
                      duration_weeks or plan.duration_weeks, detail.referral_id)  # fmt: skip
    return _add(uow, given, PlanDetail(0, detail.physician_id, detail.referral_id,
                                       recertifies_id=plan_id))  # fmt: skip


def plan_from_evaluation(
    uow: UnitOfWork,
    visit_id: int,
    *,
    physician_id: int,
    diagnoses: Sequence[str],
    referral_id: int | None = None,
) -> int:
    """A plan of care started by the visit's signed evaluation: it starts on the visit's date and
    carries the note's goals, and the frequency and duration its text states."""
    visit = uow.visits.get(visit_id)
    note = uow.visits.note_of_visit(visit_id)
    if note is None or note.note_type not in _EVALUATIONS:
        raise RecordError(f"visit {visit_id}: has no evaluation note")
    if note.signed_at is None:
        raise RecordError(f"visit {visit_id}: sign the evaluation before starting its plan")
    text = " ".join(str(v) for v in note.content.values() if isinstance(v, str))
    per_week, weeks = frequency_from_text(text)
    if not per_week or not weeks:
        raise RecordError(
            f"visit {visit_id}: the evaluation does not state a frequency and duration "
            "(for example '2x/week for 8 weeks'); write the plan of care by hand"
        )
    given = PlanInput(visit.patient_id, physician_id, visit.date, diagnoses,
                      str(note.content.get("goals") or ""), per_week, weeks,
                      referral_id)  # fmt: skip
    return _add(uow, given, PlanDetail(0, physician_id, referral_id, evaluation_visit_id=visit_id))
