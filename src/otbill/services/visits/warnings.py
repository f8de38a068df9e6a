"""Warnings a therapist needs while documenting a visit, from the records and the payer profile.

Four questions, each answered for the visit's date (not the clock), so an old visit shows what was
true then:

- progress report: Medicare wants one at least every ``progress_report_every_visits`` treatment
  visits (Pub 100-02, ch. 15, §220.3); visits are counted since the last evaluation, re-evaluation
  or progress report, this visit included;
- plan of care: certified within ``certification_days`` of its start, recertified at least every
  ``recertification_days`` (or by its stored ``recert_due``);
- prior authorization: which visit of how many this one is, and when the authorization ends;
- KX threshold: the allowed amount this year for the patient and payer (claims already built, plus
  this visit at the fee schedule's expected allowed) within 10% of the year's threshold, or over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from otbill.domain.care import Visit
from otbill.domain.credentials import is_assistant
from otbill.domain.money import from_cents
from otbill.payers import PayerProfile
from otbill.services.frontdesk.authorizations import covering_visit
from otbill.storage import UnitOfWork

__all__ = ["VisitWarning", "expected_allowed_cents", "visit_warnings"]

Severity = Literal["error", "warning", "info"]
_REPORTS = frozenset({"evaluation", "re-evaluation", "progress"})
# Heads-up margins chosen by otbill (not CMS rules): warn two weeks before a recertification or
# authorization ends, and when the year's allowed amount reaches 90% of the payer's KX threshold
# (the thresholds themselves come from the payer profile, with their sources).
_SOON_DAYS = 14
_KX_NEAR = Decimal("0.90")


@dataclass(frozen=True, slots=True)
class VisitWarning:
    severity: Severity
    topic: str  # progress-report, plan-of-care, authorization, kx, self-pay
    message: str


def _progress(
    uow: UnitOfWork, visit: Visit, note_type: str, profile: PayerProfile, pending: int = 0
) -> list[VisitWarning]:
    every = profile.progress_report_every_visits
    if not every:
        return []
    since, last = pending, None
    for visit_id, date, stored_type in uow.visits.note_types_back_from(visit):
        kind = note_type if visit_id == visit.id else stored_type
        if kind in _REPORTS:
            last = date
            break
        since += 1
    if note_type in _REPORTS:
        return []
    after = f"since the last report ({last:%Y-%m-%d})" if last else "with no report on file"
    rule = f"{profile.name} wants one at least every {every} visits"
    if since > every:
        text = f"Progress report overdue: this is visit {since} {after}; {rule}."
        return [VisitWarning("error", "progress-report", text + " Use the progress template.")]
    if since == every:
        text = f"Progress report due on this visit: visit {since} {after}; {rule}."
        return [VisitWarning("warning", "progress-report", text + " Use the progress template.")]
    if since == every - 1:
        text = f"Progress report due at the next visit (this is visit {since} {after})."
        return [VisitWarning("info", "progress-report", text)]
    return []


def _plan_of_care(uow: UnitOfWork, visit: Visit, profile: PayerProfile) -> list[VisitWarning]:
    plan = uow.patients.plan(visit.plan_of_care_id) if visit.plan_of_care_id else None
    if plan is None:
        return [VisitWarning("error", "plan-of-care", f"No plan of care on file for {visit.date}.")]
    found: list[VisitWarning] = []
    policy = profile.plan_of_care
    if plan.certified_on is None and policy.certification_days:
        certify_by = plan.start + dt.timedelta(days=policy.certification_days)
        late = visit.date > certify_by
        found.append(
            VisitWarning(
                "error" if late else "warning",
                "plan-of-care",
                f"Plan of care not yet signed by the physician; certification "
                f"{'was' if late else 'is'} due by {certify_by}.",
            )
        )
    due = plan.recert_due
    if due is None and policy.recertification_days:
        due = plan.start + dt.timedelta(days=policy.recertification_days)
    if due is not None and visit.date > due:
        text = f"Plan of care recertification was due on {due}, before this visit: get it signed."
        found.append(VisitWarning("error", "plan-of-care", text))
    elif due is not None and (due - visit.date).days <= _SOON_DAYS:
        days = (due - visit.date).days
        text = f"Plan of care recertification due on {due} ({_days(days)} after this visit)."
        found.append(VisitWarning("warning", "plan-of-care", text))
    return found


def _authorization(
    uow: UnitOfWork, visit: Visit, profile: PayerProfile, pending: int = 0
) -> list[VisitWarning]:
    auth, used = covering_visit(uow, visit)
    used += pending
    if auth is None:
        if profile.authorization_required(uow.visits.count_on_coverage_through(visit)):
            text = f"No prior authorization in force on {visit.date}; this payer requires one."
            return [VisitWarning("error", "authorization", text)]
        return []
    found: list[VisitWarning] = []
    if auth.visits_authorized is not None:
        left = auth.visits_authorized - used
        text = f"Authorization {auth.number}: visit {used} of {auth.visits_authorized}"
        if left < 0:
            found.append(VisitWarning("error", "authorization", f"{text}: beyond the limit."))
        elif left <= 3:
            found.append(VisitWarning("warning", "authorization", f"{text}; {left} left."))
        else:
            found.append(VisitWarning("info", "authorization", f"{text}; {left} left."))
    days = (auth.end_date - visit.date).days
    if days <= _SOON_DAYS:
        text = (
            f"Authorization {auth.number} ends on {auth.end_date} ({_days(days)} after this visit)."
        )
        found.append(VisitWarning("warning", "authorization", text))
    return found


def expected_allowed_cents(
    uow: UnitOfWork, visit: Visit, profile: PayerProfile, units: Mapping[str, int]
) -> int:
    """This visit's expected allowed amount: the fee schedule's allowed per unit times units
    (a COTA's visit at the payer's assistant percentage), as the claim builder will price it."""
    if not any(units.values()) or visit.coverage_id is None:  # self-pay: the price list, no payer
        return 0
    payer_id = uow.patients.coverage(visit.coverage_id).payer_id
    rows = uow.payers.fees_on(payer_id, units, visit.date)
    default: dict[str, int] = {}
    specific: dict[str, int] = {}
    for row in rows:  # the payer's own fee beats the clinic default; the latest of each wins
        (specific if row.payer_id is not None else default)[row.code] = row.allowed_cents
    fees = {**default, **specific}
    total = sum(fees.get(code, 0) * n for code, n in units.items())
    provider = uow.providers.get(visit.provider_id)
    if is_assistant(provider.credential) and profile.assistant_payment_percent:
        total = total * profile.assistant_payment_percent // 100
    return total


def _kx(
    uow: UnitOfWork, visit: Visit, profile: PayerProfile, this_visit_cents: int
) -> list[VisitWarning]:
    threshold = profile.kx_threshold(visit.date.year)
    if threshold is None or visit.coverage_id is None:
        return []
    coverage = uow.patients.coverage(visit.coverage_id)
    year_start = visit.date.replace(month=1, day=1)
    claimed = uow.claims.allowed_cents_between(
        visit.patient_id, coverage.payer_id, year_start, visit.date
    )
    total = from_cents(claimed + this_visit_cents)
    amounts = f"${total:,.2f} allowed this year of the ${threshold:,.2f} threshold"
    if total >= threshold:
        text = f"KX threshold reached: {amounts}. Claims need the KX modifier, which attests "
        text += "that therapy is medically necessary: document why in this note."
        return [VisitWarning("warning", "kx", text)]
    if total >= threshold * _KX_NEAR:
        text = f"KX threshold near: {amounts}. Document medical necessity carefully."
        return [VisitWarning("warning", "kx", text)]
    return []


def visit_warnings(
    uow: UnitOfWork,
    visit: Visit,
    *,
    note_type: str,
    profile: PayerProfile,
    this_visit_cents: int = 0,
    pending: int = 0,
) -> list[VisitWarning]:
    """Everything the therapist should know about this visit, most serious first.

    ``pending``: visits not recorded yet that count before or as this one (the schedule asks for
    an appointment, id 0: itself and the visits booked before it), added to the visit counts of
    the progress-report and authorization questions.

    A self-pay visit (no coverage) answers none of the payer's questions: it says so, once."""
    if visit.coverage_id is None:
        text = ("Self-pay: no insurance is billed; the visit's codes become charges on the "
                "patient's account at the clinic's price list.")  # fmt: skip
        return [VisitWarning("info", "self-pay", text)]
    found = [
        *_progress(uow, visit, note_type, profile, pending),
        *_plan_of_care(uow, visit, profile),
        *_authorization(uow, visit, profile, pending),
        *_kx(uow, visit, profile, this_visit_cents),
    ]
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda w: order[w.severity])


def _days(n: int) -> str:
    """A count of days in words people read.

    >>> _days(1), _days(3)
    ('1 day', '3 days')
    """
    return f"{n} day" if n == 1 else f"{n} days"
