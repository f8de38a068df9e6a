"""Assemble the scrubber's :class:`~otbill.domain.claim.Claim` from stored (or new) claim rows.

Why one function for new and stored claims: the claim the scrubber judged when it was built must be
the same one it judges on a re-scrub; both read the same snapshot of the records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from otbill.domain import parties
from otbill.domain.care import Coverage, Visit
from otbill.domain.charges import BilledLine
from otbill.domain.claim import (
    Address,
    BillingProvider,
    Claim,
    Documentation,
    HistoryLine,
    OtherCoverage,
    Patient,
    PayerRef,
    PlanOfCare,
    PriorAuthorization,
    Provider,
    ServiceFacility,
    ServiceLine,
    Subscriber,
)
from otbill.domain.claim_records import ClaimFacts, ClaimLine
from otbill.domain.money import from_cents
from otbill.domain.notes import VisitNote
from otbill.services.claims.context import Snapshot
from otbill.services.claims.eligibility_facts import eligibility_of

__all__ = ["assemble_claim", "ytd_allowed"]

Sex = Literal["F", "M", "U"]
Network = Literal["in", "out"]
FrequencyCode = Literal["1", "7", "8"]
Relationship = Literal["spouse", "child", "other"]
Insured = Literal["self", "spouse", "child", "other"]
_PLACE: dict[int, Literal["S", "T"]] = {2: "S", 3: "T"}  # coverage priority → 2320 SBR01


def _patient(row: parties.Patient, member_id: str) -> Patient:
    address = None
    if row.address_line1 and row.city and row.state and row.zip:
        address = Address(line1=row.address_line1, city=row.city, state=row.state, zip=row.zip)
    return Patient(
        id=row.mrn,
        first_name=row.first_name,
        last_name=row.last_name,
        dob=row.dob,
        sex=cast(Sex, row.sex),
        member_id=member_id,
        address=address,
    )


def _provider(row: parties.Provider) -> Provider:
    return Provider(
        npi=row.npi, first_name=row.first_name, last_name=row.last_name, credential=row.credential
    )


def _billing(snap: Snapshot) -> BillingProvider:
    c = snap.clinic
    address = Address(line1=c.address_line1, city=c.city, state=c.state, zip=c.zip)
    pay_to = _address_of(snap.pay_to)
    return BillingProvider(
        name=c.name,
        npi=c.npi,
        tax_id=c.tax_id,
        taxonomy=c.taxonomy,
        address=address,
        pay_to=pay_to if pay_to != address else None,
    )


def _address_of(parts: tuple[str, str, str, str] | None) -> Address | None:
    if parts is None or not all(parts):
        return None
    line1, city, state, zip_code = parts
    return Address(line1=line1, city=city, state=state, zip=zip_code)


def _facility(snap: Snapshot, visit: Visit, billing: BillingProvider) -> ServiceFacility | None:
    """Where the visit was furnished (loop 2310C), when not at the billing address."""
    location = snap.visit_locations.get(visit.id)
    if location is None:
        return None
    a = location.address
    address = _address_of((a.line1, a.city, a.state, a.zip))
    if address is None or address == billing.address:
        return None
    return ServiceFacility(name=location.name, address=address)


def ytd_allowed(snap: Snapshot, claim: ClaimFacts) -> int:
    """Allowed cents already billed to this payer for the patient this year, before this claim."""
    on, payer, number = claim.date_of_service, claim.payer_id, claim.number
    key = (claim.patient_id, payer, number, on)
    cached = snap.ytd_cache.get(key)
    if cached is None:
        cached = 0
        year_start = on.replace(month=1, day=1)
        for b in snap.billed.get(claim.patient_id, ()):
            if b.payer_id == payer and year_start <= b.date < on and b.claim_number != number:
                cached += b.allowed_cents
        snap.ytd_cache[key] = cached
    return cached


def _history_line(snap: Snapshot, b: BilledLine) -> HistoryLine:
    line = snap.history_cache.get(id(b))
    if line is None:
        payer = snap.payers.get(b.payer_id)
        line = snap.history_cache[id(b)] = HistoryLine(
            claim_id=b.claim_number,
            date=b.date,
            code=b.code,
            units=b.units,
            rendering_npi=snap.providers[b.rendering_provider_id].npi,
            payer_id=payer.payer_code if payer else None,
            charge=from_cents(b.charge_cents),
        )
    return line


def _history(snap: Snapshot, claim: ClaimFacts) -> tuple[HistoryLine, ...]:
    """The patient's billed lines on other claims (each built once per snapshot); a correction's
    history leaves out the claims it replaces (its original, and that one's originals: their
    numbers begin its own, ``C``, ``C-71``, ``C-71-81``)."""
    number, replaced = claim.number, claim.original_claim_id
    return tuple(
        _history_line(snap, b)
        for b in snap.billed.get(claim.patient_id, ())
        if b.claim_number != number
        and (
            replaced is None
            or (b.claim_id != replaced and not number.startswith(f"{b.claim_number}-"))
        )
    )


def _lines(snap: Snapshot, lines: Sequence[ClaimLine], n_dx: int) -> tuple[ServiceLine, ...]:
    pointers = tuple(range(1, min(n_dx, 4) + 1)) or (1,)
    return tuple(
        ServiceLine(
            date=line.date,
            code=line.code,
            charge=from_cents(line.charge_cents),
            units=line.units,
            minutes=line.minutes,
            modifiers=tuple(m for m in line.modifiers.split(",") if m),
            dx_pointers=pointers,
            furnished_by_assistant=line.furnished_by_assistant,
            distinct_service=line.distinct_service,
            rendering_npi=snap.providers[line.rendering_provider_id].npi,
        )
        for line in lines
    )


def assemble_claim(
    snap: Snapshot,
    claim: ClaimFacts,
    lines: Sequence[ClaimLine],
    visits: Sequence[Visit],
    original_number: str | None = None,
) -> Claim:
    """The scrubber's claim, with its full context from the records."""
    coverage = snap.coverages[claim.coverage_id]
    payer = snap.payers[claim.payer_id]
    first = visits[0]
    plan = snap.plans.get(first.plan_of_care_id) if first.plan_of_care_id else None
    auth = snap.auth_of(first)
    on = claim.date_of_service
    documentation = _documentation([snap.notes[v.id] for v in visits if v.id in snap.notes])
    diagnoses = tuple(plan.diagnoses) if plan else ()
    billing = _billing(snap)
    patient = _patient(snap.patients[claim.patient_id], coverage.member_id)
    return Claim(
        claim_id=claim.number,
        payer=PayerRef(
            profile=payer.profile,
            payer_id=payer.payer_code,
            name=payer.name,
            network=cast(Network, coverage.network),
        ),
        patient=patient,
        other_coverages=_other_coverages(snap, coverage, patient, on),
        subscriber=_subscriber(coverage.subscriber, coverage.member_id, coverage.relationship),
        billing_provider=billing,
        service_facility=_facility(snap, first, billing),
        rendering_provider=_provider(snap.providers[lines[0].rendering_provider_id]),
        referring_provider=Provider(
            npi=plan.certifying_npi,
            first_name=plan.certifying_first_name,
            last_name=plan.certifying_last_name,
        )
        if plan
        else None,
        lines=_lines(snap, lines, len(diagnoses)),
        place_of_service=claim.place_of_service,
        diagnoses=diagnoses,
        prior_authorization=PriorAuthorization(  # positional: ``from`` is a keyword
            auth.number,
            auth.start_date,
            auth.end_date,
            auth.visits_authorized,
            snap.auth_visits_before(auth.id, on),
        )
        if auth
        else None,
        eligibility=eligibility_of(coverage, snap.checks.get(coverage.id)),
        plan_of_care=PlanOfCare(
            start=plan.start, certified_on=plan.certified_on, recert_due=plan.recert_due
        )
        if plan
        else None,
        visit_number=snap.visit_number(plan.id, on) or None if plan else None,
        last_progress_report_visit=snap.last_report_visit(plan.id, on) if plan else None,
        ytd_therapy_allowed=from_cents(ytd_allowed(snap, claim)),
        documentation=documentation,
        history=_history(snap, claim),
        telehealth=claim.telehealth,
        frequency_code=cast(FrequencyCode, claim.frequency_code),
        original_claim_number=original_number,
        total_charge=from_cents(claim.total_charge_cents),
    )


def _other_coverages(
    snap: Snapshot, coverage: Coverage, patient: Patient, on: dt.date
) -> tuple[OtherCoverage, ...]:
    """The secondary and tertiary in force on the date of service, when billing the primary."""
    others: dict[str, OtherCoverage] = {}
    for other in snap.other_coverages(coverage, on):
        place = _PLACE.get(other.priority)
        if place is None or place in others:
            continue  # a fourth payer, or a second coverage in one place: the first one goes
        payer = snap.payers[other.payer_id]
        insured = other.subscriber if other.relationship != "self" else None
        others[place] = OtherCoverage(
            responsibility=place,
            payer=PayerRef(
                profile=payer.profile,
                payer_id=payer.payer_code,
                name=payer.name,
                network=cast(Network, other.network),
            ),
            member_id=other.member_id,
            first_name=insured["first_name"] if insured else patient.first_name,
            last_name=insured["last_name"] if insured else patient.last_name,
            relationship=cast(Insured, other.relationship if insured else "self"),
            group_number=other.group_number or None,
            address=None if insured else patient.address,
        )
    return tuple(others.values())


def _documentation(notes: Sequence[VisitNote]) -> Documentation | None:
    """The day's note as the scrubber sees it; unsigned when any of the day's notes is."""
    if not notes:
        return None
    documentation = notes[0].documentation()
    if not all(n.signed for n in notes):
        documentation = dataclasses.replace(documentation, signed=False)
    return documentation


def _subscriber(
    data: Mapping[str, Any] | None, member_id: str, relationship: str
) -> Subscriber | None:
    """The insured when not the patient; ``data`` holds first_name, last_name, dob, sex."""
    if relationship == "self" or not data:
        return None
    return Subscriber(
        first_name=data["first_name"],
        last_name=data["last_name"],
        dob=dt.date.fromisoformat(str(data["dob"])),
        sex=data.get("sex", "U"),
        member_id=member_id,
        relationship=cast(Relationship, relationship),
    )
