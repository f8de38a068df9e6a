"""A patient's coverage at the front desk: enrol, end, change (with history), list.

Why a change ends one coverage and adds another instead of editing it: claims keep the coverage
they were billed to, so a coverage a claim refers to must read tomorrow as it read when the claim
went out. Why overlapping coverages of one priority are refused: two "primary" payers on one date
of service means the claim goes to a payer chosen by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from otbill import clock
from otbill.codes import mbi
from otbill.domain.care import Coverage
from otbill.domain.eligibility import StoredCheck
from otbill.domain.money import to_cents
from otbill.domain.record_errors import RecordError
from otbill.domain.registration import CoverageTerms
from otbill.payers import PayerProfile
from otbill.services.frontdesk.registration import EARLIEST_BIRTH
from otbill.storage import UnitOfWork

__all__ = [
    "PRIORITIES",
    "RELATIONSHIPS",
    "CoverageDetails",
    "CoverageLine",
    "Subscriber",
    "change_coverage",
    "coverage_history",
    "end_coverage",
    "enrol",
    "record_eligibility_check",
]

PRIORITIES = {1: "primary", 2: "secondary", 3: "tertiary"}
RELATIONSHIPS = ("self", "spouse", "child", "other")
_MAX_MONEY = Decimal("100000")


@dataclass(frozen=True, slots=True)
class Subscriber:
    """The insured person when it is not the patient."""

    first_name: str
    last_name: str
    dob: dt.date
    sex: str = "U"
    address: tuple[str, str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class CoverageDetails:
    """What the clerk types from the insurance card (money in dollars, as known)."""

    payer_id: int
    member_id: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    priority: int = 1
    relationship: str = "self"
    subscriber: Subscriber | None = None
    group_number: str | None = None
    network: str = "in"
    plan_name: str | None = None
    copay: Decimal | None = None
    coinsurance_percent: int | None = None
    deductible: Decimal | None = None
    # an eligibility check made by phone or portal before the coverage is entered
    eligibility_verified_on: dt.date | None = None
    eligibility_active: bool | None = None


@dataclass(frozen=True, slots=True)
class CoverageLine:
    """One coverage as the patient's page lists it: active or ended, with its payer's name."""

    coverage: Coverage
    payer_name: str
    terms: CoverageTerms
    active: bool
    billed: bool


def _member_id(details: CoverageDetails, payer_name: str, profile: PayerProfile | None) -> str:
    member_id = "".join(details.member_id.split())
    if not member_id or len(member_id) > 80:
        raise RecordError("member ID: needs 1 to 80 characters")
    pattern = profile.member_id_pattern if profile else None
    if pattern is None:
        return member_id
    if pattern == mbi.PATTERN.pattern:  # Medicare: say which position is wrong
        reason = mbi.problem(member_id)
        if reason is not None:
            raise RecordError(f"member ID {member_id}: not a Medicare MBI: {reason}")
        return mbi.compact(member_id)
    if not re.fullmatch(pattern, member_id):
        raise RecordError(f"member ID {member_id}: does not match {payer_name}'s member ID format")
    return member_id


def _cents(name: str, amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    try:
        if not Decimal(0) <= amount <= _MAX_MONEY:
            raise RecordError(f"{name} {amount}: between 0 and {_MAX_MONEY}")
        return to_cents(amount)
    except (ValueError, InvalidOperation) as exc:
        raise RecordError(f"{name} {amount}: {exc}") from exc


def _terms(details: CoverageDetails) -> CoverageTerms:
    percent = details.coinsurance_percent
    if percent is not None and not 0 <= percent <= 100:
        raise RecordError(f"coinsurance {percent}%: between 0 and 100")
    plan = (details.plan_name or "").strip() or None
    if plan is not None and len(plan) > 200:
        raise RecordError("plan name: at most 200 characters")
    return CoverageTerms(
        plan, _cents("copay", details.copay), percent, _cents("deductible", details.deductible)
    )


def _subscriber(details: CoverageDetails) -> dict[str, str] | None:
    if details.relationship not in RELATIONSHIPS:
        raise RecordError(
            f"subscriber relationship {details.relationship!r}: one of {', '.join(RELATIONSHIPS)}"
        )
    if details.relationship == "self":
        return None
    who = details.subscriber
    if who is None or not who.first_name.strip() or not who.last_name.strip():
        raise RecordError(f"subscriber: a {details.relationship} needs their name and birth date")
    if not EARLIEST_BIRTH <= who.dob <= clock.today():
        raise RecordError(f"subscriber date of birth {who.dob}: not a possible birth date")
    data = {
        "first_name": who.first_name.strip(),
        "last_name": who.last_name.strip(),
        "dob": who.dob.isoformat(),
        "sex": who.sex if who.sex in "FMU" else "U",
    }
    if who.address is None or not all(part.strip() for part in who.address):
        raise RecordError("subscriber address: needs street, city, state and ZIP")
    keys = ("address_line1", "city", "state", "zip")
    return data | {k: v.strip() for k, v in zip(keys, who.address, strict=True)}


def _overlaps(a: Coverage, start: dt.date, end: dt.date | None) -> bool:
    a_start = a.effective_from or dt.date.min
    a_end = a.effective_to or dt.date.max
    return a_start <= (end or dt.date.max) and start <= a_end


def _refuse_overlap(uow: UnitOfWork, patient_id: int, details: CoverageDetails) -> None:
    for other in uow.patients.coverages([patient_id]):
        if other.priority == details.priority and _overlaps(
            other, details.effective_from, details.effective_to
        ):
            name = PRIORITIES[details.priority]
            raise RecordError(
                f"priority: the patient already has a {name} coverage (member ID "
                f"{other.member_id}) in force from {other.effective_from}; end it first "
                f"or choose another priority"
            )


def enrol(
    uow: UnitOfWork,
    patient_id: int,
    details: CoverageDetails,
    profiles: Mapping[str, PayerProfile],
) -> int:
    """A new coverage for the patient, checked: member ID format (per the payer's profile),
    subscriber, dates, priority not overlapping another of the same priority, cost sharing."""
    uow.patients.get(patient_id)
    payer = uow.payers.get(details.payer_id)
    member_id = _member_id(details, payer.name, profiles.get(payer.profile))
    if details.priority not in PRIORITIES:
        raise RecordError(f"priority {details.priority}: 1 (primary), 2 or 3")
    if details.effective_to is not None and details.effective_to < details.effective_from:
        raise RecordError(
            f"termination date {details.effective_to}: before the effective date "
            f"{details.effective_from}"
        )
    if details.network not in ("in", "out"):
        raise RecordError(f"network {details.network!r}: in or out")
    subscriber, terms = _subscriber(details), _terms(details)
    _refuse_overlap(uow, patient_id, details)
    group = (details.group_number or "").strip()[:80] or None
    coverage = Coverage(
        0,
        patient_id,
        payer.id,
        member_id,
        details.relationship,
        subscriber,
        details.network,
        details.priority,
        details.effective_from,
        details.effective_to,
        group,
        details.eligibility_verified_on,
        details.eligibility_active,
    )
    coverage_id = uow.patients.add_coverage_with_terms(coverage, terms)
    after = {
        "patient_id": patient_id,
        "payer_id": payer.id,
        "priority": details.priority,
        "effective_from": details.effective_from,
        "eligibility_verified_on": details.eligibility_verified_on,
        "eligibility_active": details.eligibility_active,
    }
    uow.audit.record(uow.actor_id, "coverage.add", "coverage", coverage_id, None, after)
    return coverage_id


def end_coverage(uow: UnitOfWork, coverage_id: int, last_day: dt.date) -> None:
    """End a coverage on ``last_day`` (not before it began); claims billed to it keep it."""
    coverage = uow.patients.coverage(coverage_id)
    start = coverage.effective_from
    if start is not None and last_day < start:
        raise RecordError(f"termination date {last_day}: before the effective date {start}")
    if coverage.effective_to is not None and coverage.effective_to <= last_day:
        raise RecordError(f"coverage {coverage_id}: already ends on {coverage.effective_to}")
    billed = uow.patients.last_billed_service(coverage_id)
    if billed is not None and last_day < billed:
        raise RecordError(
            f"termination date {last_day}: a claim billed to this coverage has a visit on "
            f"{billed}; end it on or after that day"
        )
    uow.patients.end_coverage(coverage_id, last_day)
    uow.audit.record(
        uow.actor_id,
        "coverage.end",
        "coverage",
        coverage_id,
        {"effective_to": coverage.effective_to},
        {"effective_to": last_day},
    )


def record_eligibility_check(
    uow: UnitOfWork,
    coverage_id: int,
    *,
    on: dt.date,
    active: bool,
    today: dt.date,
    response: StoredCheck | None = None,
) -> None:
    """An eligibility check made by phone, the payer's portal or a 271 (``response``: its
    benefits and raw text, kept with the coverage): its date and whether it found the coverage
    active (what ELG001/ELG002 and the booking warnings read).

    Why it may change a billed coverage in place: the check is not part of what was billed; the
    earlier check stays in the audit trail."""
    coverage = uow.patients.coverage(coverage_id)
    if on > today:
        raise RecordError(f"eligibility check date {on}: after today ({today})")
    if coverage.eligibility_verified_on is not None and on < coverage.eligibility_verified_on:
        raise RecordError(
            f"eligibility check date {on}: a later check ({coverage.eligibility_verified_on}) is "
            "already recorded"
        )
    uow.patients.record_eligibility(coverage_id, on, active)
    after: dict[str, object] = {"eligibility_verified_on": on, "eligibility_active": active}
    if response is not None:
        after["eligibility_check_id"] = uow.eligibility.add(response, by_user=uow.actor_id)
    uow.audit.record(
        uow.actor_id,
        "coverage.eligibility",
        "coverage",
        coverage_id,
        {"eligibility_verified_on": coverage.eligibility_verified_on,
         "eligibility_active": coverage.eligibility_active},
        after,
    )  # fmt: skip


def change_coverage(
    uow: UnitOfWork,
    coverage_id: int,
    details: CoverageDetails,
    profiles: Mapping[str, PayerProfile],
) -> int:
    """A new card from ``details.effective_from``: the old coverage ends the day before and a new
    one starts (the old one, and any claim billed to it, never changes otherwise)."""
    old = uow.patients.coverage(coverage_id)
    end_coverage(uow, coverage_id, details.effective_from - dt.timedelta(days=1))
    new_id = enrol(uow, old.patient_id, details, profiles)
    uow.audit.record(
        uow.actor_id,
        "coverage.change",
        "coverage",
        new_id,
        {"coverage_id": coverage_id},
        {"coverage_id": new_id},
    )
    return new_id


def coverage_history(uow: UnitOfWork, patient_id: int, today: dt.date) -> list[CoverageLine]:
    """Every coverage of the patient, active first by priority, then ended ones newest first."""
    coverages = uow.patients.coverages([patient_id])
    terms = uow.patients.coverage_terms(c.id for c in coverages)
    payers = {p.id: p.name for p in uow.payers.all()}
    lines = [
        CoverageLine(
            c,
            payers.get(c.payer_id, str(c.payer_id)),
            terms[c.id],
            _overlaps(c, today, today),
            uow.patients.coverage_billed(c.id),
        )
        for c in coverages
    ]
    ended_first = sorted(
        lines, key=lambda x: x.coverage.effective_from or dt.date.min, reverse=True
    )
    return sorted(ended_first, key=lambda x: (not x.active, x.coverage.priority if x.active else 0))
