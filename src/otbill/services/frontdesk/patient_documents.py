"""What a patient takes home: a superbill for their own out-of-network claim, and a Good Faith
Estimate before a course of therapy they pay for themselves. Reads only; the PDFs are drawn by
:mod:`otbill.pdf.superbill` and :mod:`otbill.pdf.good_faith_estimate`.

The superbill lists the patient's visits in a date range. A service already on a claim (not a
void; the newest claim when corrected) shows the claim's code, modifiers, units and charge, and
the payments the ledger holds for it, from the patient and from any payer; a service on no claim
yet is priced by the charge master in force on its date (the price list), with nothing paid. The
diagnoses are those of each visit's plan of care. A line furnished by a therapy assistant names
the supervising therapist as the rendering provider, as a claim would
(:func:`otbill.domain.credentials.is_assistant`).

The Good Faith Estimate (45 CFR 149.610) prices the services of one visit, times the visits the
patient's newest plan of care expects (frequency per week times weeks), at the charge master's
prices on the day it is issued. The services of one visit are the ones given (``97530x2 97110``),
else those of the patient's latest treatment visit (evaluations left out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from otbill.codes import cpt, icd10cm
from otbill.domain.care import PlanOfCare, Visit, VisitLine
from otbill.domain.charges import Fee
from otbill.domain.claim_records import ClaimLine
from otbill.domain.credentials import is_assistant
from otbill.domain.ledger import Balances
from otbill.domain.money import from_cents
from otbill.domain.parties import Provider
from otbill.domain.record_errors import RecordError
from otbill.errors import CodeError
from otbill.pdf.good_faith_estimate import EstimateLine, GoodFaithEstimate
from otbill.pdf.superbill import Superbill, SuperbillLine
from otbill.services.frontdesk.price_list import address_line, charge_master_on
from otbill.services.ledger import balances
from otbill.storage import UnitOfWork

__all__ = [
    "EstimateLine",
    "GoodFaithEstimate",
    "Superbill",
    "SuperbillLine",
    "good_faith_estimate",
    "offers_good_faith_estimate",
    "parse_services",
    "superbill",
]

LONGEST_RANGE_DAYS = 366  # one superbill covers at most a year of visits
MOST_VISITS = 200  # an estimate of more visits than this is a typo
_SERVICE = re.compile(r"^([0-9A-Z]{5})(?:[X*]([0-9]{1,2}))?$")


def _description(code: str) -> str:
    try:
        return cpt.describe(code)
    except CodeError:
        return "(not in the code catalog)"


def _diagnosis(code: str) -> tuple[str, str]:
    try:
        return code, icd10cm.describe(code)
    except CodeError:  # an unknown code is printed without its words
        return code, ""


def _rendering(providers: dict[int, Provider], provider_id: int) -> Provider:
    """The rendering provider of a line by ``provider_id``: an assistant's supervisor."""
    provider = providers[provider_id]
    if is_assistant(provider.credential) and provider.supervisor_id in providers:
        return providers[provider.supervisor_id]
    return provider


def _claimed_lines(uow: UnitOfWork, patient_id: int) -> dict[int, list[ClaimLine]]:
    """Each service line's claim lines (claims other than voids), oldest claim first."""
    claim_ids = sorted({line.claim_id for _, line in uow.claims.billed_lines([patient_id])})
    found: dict[int, list[ClaimLine]] = {}
    for claim_id in claim_ids:
        for line in uow.claims.lines(claim_id):
            if line.service_line_id is not None:
                found.setdefault(line.service_line_id, []).append(line)
    return found


def _plans(uow: UnitOfWork, visits: Sequence[Visit]) -> dict[int, PlanOfCare]:
    ids = {v.plan_of_care_id for v in visits if v.plan_of_care_id is not None}
    return {plan_id: uow.plans.get(plan_id)[0] for plan_id in sorted(ids)}


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RecordError(f"superbill dates: to {end} is before from {start}")
    if (end - start).days >= LONGEST_RANGE_DAYS:
        raise RecordError(
            f"superbill dates {start} to {end}: at most {LONGEST_RANGE_DAYS} days at once"
        )


def superbill(uow: UnitOfWork, patient_id: int, start: dt.date, end: dt.date) -> Superbill:
    """The superbill of the patient's visits from ``start`` to ``end`` (both included)."""
    _check_range(start, end)
    patient = uow.patients.get(patient_id)
    clinic = uow.clinics.identity()
    visits = sorted(
        (v for v in uow.visits.of_patients([patient_id]) if start <= v.date <= end),
        key=lambda v: (v.date, v.id),
    )
    lines_of = uow.visits.lines_by_visit([v.id for v in visits]) if visits else {}
    claimed = _claimed_lines(uow, patient_id) if visits else {}
    ledger = balances(uow, patient_id=patient_id)
    providers = {p.id: p for p in uow.providers.all()}
    plans = _plans(uow, visits)
    prices = uow.payers.fee_schedule()
    lines: list[SuperbillLine] = []
    diagnoses: list[str] = []
    therapists: list[Provider] = []
    adjustments = Decimal("0.00")
    for visit in visits:
        plan = plans.get(visit.plan_of_care_id) if visit.plan_of_care_id else None
        dx = tuple(plan.diagnoses) if plan else ()
        diagnoses += [d for d in dx if d not in diagnoses]
        for service in lines_of.get(visit.id, []):
            on_claims = claimed.get(service.id, [])
            if on_claims:
                line = _billed(service, on_claims, ledger, visit, dx, providers)
                adjustments += sum(
                    (ledger.by_line[c.id].adjustments for c in on_claims if c.id in ledger.by_line),
                    Decimal("0.00"),
                )
                rendering = _rendering(providers, on_claims[-1].rendering_provider_id)
            else:
                line = _unbilled(service, visit, dx, prices, providers)
                rendering = _rendering(providers, visit.provider_id)
            if rendering not in therapists:
                therapists.append(rendering)
            lines.append(line)
    return Superbill(
        clinic.name,
        address_line(*clinic.address),
        clinic.npi,
        clinic.tax_id,
        patient,
        start,
        end,
        tuple((f"{p.first_name} {p.last_name}, {p.credential}", p.npi) for p in therapists),
        tuple(_diagnosis(d) for d in diagnoses),
        tuple(lines),
        adjustments,
    )


def _billed(
    service: VisitLine,
    on_claims: list[ClaimLine],
    ledger: Balances,
    visit: Visit,
    dx: tuple[str, ...],
    providers: dict[int, Provider],
) -> SuperbillLine:
    newest = on_claims[-1]
    paid = sum(
        (ledger.by_line[c.id].payments for c in on_claims if c.id in ledger.by_line),
        Decimal("0.00"),
    )
    return SuperbillLine(
        newest.date,
        visit.place_of_service,
        newest.code,
        _description(newest.code),
        tuple(m for m in newest.modifiers.split(",") if m),
        newest.units,
        from_cents(newest.charge_cents),
        paid,
        dx,
        _rendering(providers, newest.rendering_provider_id).npi,
    )


def _unbilled(
    service: VisitLine,
    visit: Visit,
    dx: tuple[str, ...],
    prices: list[Fee],
    providers: dict[int, Provider],
) -> SuperbillLine:
    fee = charge_master_on(prices, visit.date).get(service.code)
    if fee is None:
        raise RecordError(
            f"visit on {visit.date}: code {service.code} has no price on the clinic's charge "
            f"master in force that day; add one on the admin setup page"
        )
    return SuperbillLine(
        visit.date,
        visit.place_of_service,
        service.code,
        _description(service.code),
        tuple(m for m in service.modifiers.split(",") if m),  # no payer: the visit's own
        service.units,
        from_cents(fee.charge_cents) * service.units,
        Decimal("0.00"),
        dx,
        _rendering(providers, visit.provider_id).npi,
    )


def parse_services(text: str) -> tuple[tuple[str, int], ...]:
    """The services of one visit as typed: ``"97530x2, 97110"`` -> (("97530", 2), ("97110", 1)).

    >>> parse_services("97530x2 97110")
    (('97530', 2), ('97110', 1))
    """
    services: dict[str, int] = {}
    for part in re.split(r"[\s,;]+", text.strip().upper()):
        if not part:
            continue
        found = _SERVICE.match(part)
        if found is None:
            raise RecordError(
                f"services per visit {part!r}: a code with its units, like 97530x2 or 97110"
            )
        code, units = found.group(1), int(found.group(2) or 1)
        try:
            code = cpt.validate(code)
        except CodeError as exc:
            raise RecordError(f"services per visit {part!r}: {exc.reason}") from exc
        if not 1 <= units <= 16:
            raise RecordError(f"services per visit {part!r}: units from 1 to 16")
        services[code] = services.get(code, 0) + units
    return tuple(services.items())


def offers_good_faith_estimate(uow: UnitOfWork, patient_id: int) -> bool:
    """Whether the patient page offers the estimate: self-pay patients, or any with a plan."""
    if uow.patients.registration(patient_id).self_pay:
        return True
    return bool(uow.plans.of_patient(patient_id))


def _last_treatment(uow: UnitOfWork, patient_id: int) -> tuple[tuple[str, int], ...]:
    """The codes and units of the patient's latest visit with treatment (not only evaluation)."""
    visits = sorted(uow.visits.of_patients([patient_id]), key=lambda v: (v.date, v.id))
    lines_of = uow.visits.lines_by_visit([v.id for v in visits]) if visits else {}
    for visit in reversed(visits):
        treatment = [
            (line.code, line.units) for line in lines_of.get(visit.id, [])
            if line.units > 0 and not _is_evaluation(line.code)
        ]  # fmt: skip
        if treatment:
            return tuple(treatment)
    return ()


def _is_evaluation(code: str) -> bool:
    try:
        return cpt.lookup(code).is_evaluation
    except CodeError:
        return False


def good_faith_estimate(
    uow: UnitOfWork,
    patient_id: int,
    issued_on: dt.date,
    *,
    services: Sequence[tuple[str, int]] = (),
    visits: int | None = None,
) -> GoodFaithEstimate:
    """The patient's estimate on ``issued_on``: ``services`` each visit (else the latest treatment
    visit's), for ``visits`` visits (else the newest plan's frequency times its weeks)."""
    patient = uow.patients.get(patient_id)
    clinic = uow.clinics.identity()
    plans = uow.plans.of_patient(patient_id)
    plan = plans[0][0] if plans else None
    per_visit = tuple(services) or _last_treatment(uow, patient_id)
    if not per_visit:
        raise RecordError(
            "services per visit: none recorded for this patient yet; type the codes of one "
            "visit with their units, like 97530x2 97110"
        )
    basis = "the services and number of visits given by the clinic"
    if visits is None:
        if plan is None or plan.frequency_per_week * plan.duration_weeks == 0:
            raise RecordError(
                "visits: the patient has no plan of care with a frequency and duration; "
                "give the number of visits expected"
            )
        visits = plan.frequency_per_week * plan.duration_weeks
        basis = (
            f"the plan of care starting {plan.start.isoformat()}: {plan.frequency_per_week} "
            f"visits a week for {plan.duration_weeks} weeks"
        )
    if not 1 <= visits <= MOST_VISITS:
        raise RecordError(f"visits {visits}: from 1 to {MOST_VISITS}")
    if not services:
        basis += "; the services of one visit as at the patient's latest treatment visit"
    prices = charge_master_on(uow.payers.fee_schedule(), issued_on)
    missing = [code for code, _ in per_visit if code not in prices]
    if missing:
        raise RecordError(
            f"code {', '.join(missing)}: no price on the clinic's price list (charge master) on "
            f"{issued_on}; add one on the admin setup page"
        )
    dx = tuple(plan.diagnoses) if plan else ()
    lines = tuple(
        EstimateLine(code, _description(code), units, visits,
                     from_cents(prices[code].charge_cents), dx)
        for code, units in per_visit
    )  # fmt: skip
    weeks = f" over {plan.duration_weeks} weeks" if plan and basis.startswith("the plan") else ""
    return GoodFaithEstimate(
        clinic.name,
        clinic.npi,
        clinic.tax_id,
        f"{clinic.name}, {address_line(*clinic.address)}",
        clinic.address[2],
        patient,
        f"Outpatient occupational therapy: {visits} treatment visits{weeks}, each with "
        + ", ".join(f"{_description(code).lower()} ({units} x {_unit_words(code)})"
                    for code, units in per_visit),
        plan.start if plan else None,
        visits,
        basis,
        tuple(_diagnosis(d) for d in dx),
        lines,
        issued_on,
    )  # fmt: skip


def _unit_words(code: str) -> str:
    try:
        timed = cpt.lookup(code).timed
    except CodeError:
        return "unit"
    return "15 minutes" if timed else "session"
