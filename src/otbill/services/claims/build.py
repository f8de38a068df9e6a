"""Visits become claims: grouped by patient, coverage and date; units, modifiers, charges; scrubbed.

A self-pay patient's visits make no claim: they go to :mod:`otbill.services.self_pay.charges`
(charges on the patient's account at the price list, less the clinic's discount rules). So does a
visit with no coverage (``coverage_id`` None, only ever recorded for a self-pay patient): it has
no payer to claim from, even if the patient's self-pay mark was later taken off.

Why one pass in date order: each claim adds its lines to the patient's billing history before the
next is built, so the year-to-date allowed amount (KX threshold), visit counts and duplicate checks
see earlier claims of the same run exactly as they will see them once stored (which is why the
scrubber's batch index is not needed here: the history already holds this run's claims).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from otbill import units
from otbill.codes import cpt
from otbill.domain.care import Visit, VisitLine
from otbill.domain.charges import BilledLine
from otbill.domain.claim import Claim
from otbill.domain.claim_building import claim_number, crosses_kx_threshold, line_modifiers
from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.credentials import is_assistant
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import from_cents
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_claim
from otbill.rules.registry import Rule
from otbill.services.claims.assemble import assemble_claim, ytd_allowed
from otbill.services.claims.context import Snapshot, load_snapshot
from otbill.services.denials.prevention import with_clinic_rules
from otbill.services.self_pay.charges import SelfPayReport, charge_visits
from otbill.storage import UnitOfWork

__all__ = ["BuildReport", "build_claims", "scrubbed_status"]

_BATCH = 1000


@dataclass
class BuildReport:
    claims: list[int] = field(default_factory=list)
    skipped: int = 0
    later: list[dt.date] = field(default_factory=list)  # unbilled visits after ``through``
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    self_pay: SelfPayReport = field(default_factory=SelfPayReport)  # no claim: the account


def scrubbed_status(result_status: str) -> ClaimStatus:
    """``held`` when the scrubber found an error; warnings alone leave the claim ready."""
    return ClaimStatus.HELD if result_status == "held" else ClaimStatus.READY


def _day_lines(snap: Snapshot, visits: Sequence[Visit]) -> list[tuple[VisitLine, int, int]]:
    """One (first service line, minutes, rendering visit provider) per code for the day."""
    by_code: dict[str, tuple[VisitLine, int, int]] = {}
    for visit in visits:
        for line in snap.lines_by_visit.get(visit.id, []):
            if line.code in by_code:
                first, minutes, provider = by_code[line.code]
                by_code[line.code] = (first, minutes + line.minutes, provider)
            else:
                by_code[line.code] = (line, line.minutes, visit.provider_id)
    return list(by_code.values())


def _draft(
    uow: UnitOfWork, snap: Snapshot, run: ScrubContext, visits: Sequence[Visit]
) -> tuple[StoredClaim, list[ClaimLine]]:
    first = visits[0]
    if first.coverage_id is None:  # routed to self-pay charges by build_claims; never here
        raise ValueError(f"visit {first.id}: no coverage, so no claim")
    coverage = snap.coverages[first.coverage_id]
    payer = snap.payers[coverage.payer_id]
    profile = run.profile_for(payer.profile, payer.payer_code) or run.profiles[payer.profile]
    on = first.date
    day = _day_lines(snap, visits)
    result = units.compute_units([(s.code, m) for s, m, _ in day], profile.units_method, on=on)
    number = claim_number(first.patient_id, coverage.id, on, snap.numbers)
    snap.numbers.add(number)
    lines = []
    # Billed as the engine says (0 units: not billed), which for a code family may be a code
    # the visit did not record: 45 minutes of 97129 bill 97129 × 1 and 97130 × 2.
    recorded = {cpt.compact(d[0].code): d for d in day}
    billable = [
        (recorded[units.recorded_code(x.code, recorded)], x) for x in result.lines if x.units
    ]
    for position, ((service, _, provider_id), billed) in enumerate(billable, start=1):
        code, minutes, n = billed.code, billed.minutes, billed.units
        provider = snap.providers[provider_id]
        assistant = is_assistant(provider.credential)
        rendering = provider.supervisor_id if assistant and provider.supervisor_id else provider.id
        fee = snap.fee(payer.id, code, on)
        allowed = fee.allowed_cents * n if fee else 0
        if assistant and profile.assistant_payment_percent:
            allowed = allowed * profile.assistant_payment_percent // 100
        extra = [m for m in service.modifiers.split(",") if m]
        modifiers = line_modifiers(profile, on, assistant=assistant, telehealth=first.telehealth,
                                   kx=False, extra=extra)  # fmt: skip
        lines.append(
            ClaimLine(
                id=0,
                claim_id=0,
                position=position,
                service_line_id=service.id,
                date=on,
                code=code,
                minutes=minutes,
                units=n,
                charge_cents=fee.charge_cents * n if fee else 0,
                allowed_cents=allowed,
                rendering_provider_id=rendering,
                furnished_by_assistant=assistant,
                distinct_service=service.distinct_service,
                modifiers=",".join(modifiers),
            )
        )
    claim = StoredClaim(
        id=0,
        number=number,
        patient_id=first.patient_id,
        coverage_id=coverage.id,
        payer_id=payer.id,
        date_of_service=on,
        status=ClaimStatus.DRAFT.value,
        place_of_service=first.place_of_service,
        telehealth=first.telehealth,
        total_charge_cents=sum(line.charge_cents for line in lines),
        created_by=uow.actor_id,
        last_edited_by=uow.actor_id,
    )
    return claim, _apply_kx(snap, claim, lines, profile, visits)


def _apply_kx(
    snap: Snapshot,
    claim: StoredClaim,
    lines: list[ClaimLine],
    profile: object,
    visits: Sequence[Visit],
) -> list[ClaimLine]:
    """KX on every line when the threshold is crossed and the note documents necessity."""
    note = snap.notes.get(visits[0].id)
    necessity = note is not None and bool(note.effective_text.medical_necessity)
    claim_allowed = from_cents(sum(line.allowed_cents for line in lines))
    ytd = from_cents(ytd_allowed(snap, claim))
    year = claim.date_of_service.year
    if not (necessity and crosses_kx_threshold(profile, year, ytd, claim_allowed)):  # type: ignore[arg-type]
        return lines
    marked = []
    for line in lines:
        mods = [m for m in line.modifiers.split(",") if m]
        if "KX" not in mods and len(mods) < 4:
            at = next((i for i, m in enumerate(mods) if m in ("95", "GT")), len(mods))
            mods.insert(at, "KX")
        marked.append(dataclasses.replace(line, modifiers=",".join(mods)))
    return marked


def _groups(visits: Sequence[Visit]) -> list[list[Visit]]:
    groups: dict[tuple[int, int, dt.date], list[Visit]] = defaultdict(list)
    for visit in visits:
        if visit.coverage_id is not None:  # build_claims sent the others to self-pay charges
            groups[(visit.patient_id, visit.coverage_id, visit.date)].append(visit)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[2], k[0], k[1]))]


def _remember(snap: Snapshot, claim: StoredClaim, lines: Sequence[ClaimLine]) -> None:
    billed = (BilledLine.of(0, claim.number, claim.payer_id, line) for line in lines)
    snap.billed[claim.patient_id].extend(billed)


def build_claims(
    uow: UnitOfWork, run: ScrubContext, rules: Sequence[Rule], *, through: dt.date | None = None
) -> BuildReport:
    """Build, scrub and store claims for every unbilled visit (up to ``through``); another
    build of the same patients running meanwhile is waited for (``hold_for_billing``)."""
    report = BuildReport()
    uow.visits.hold_for_billing()
    visits = uow.visits.unbilled()
    if through is not None:  # visits after it wait, and the report says so (never silently)
        report.later = [v.date for v in visits if v.date > through]
        visits = [v for v in visits if v.date <= through]
    self_pay = uow.self_pay.self_pay_patients({v.patient_id for v in visits})
    cash = [v for v in visits if v.patient_id in self_pay or v.coverage_id is None]
    if cash:  # a self-pay visit makes no claim: charges on the patient's account
        report.self_pay = charge_visits(uow, cash)
        visits = [v for v in visits if v.patient_id not in self_pay and v.coverage_id is not None]
    if not visits:
        return report
    snap = load_snapshot(uow)
    run = with_clinic_rules(uow, run)  # the clinic's accepted prevention checks (CLN001)
    pending: list[tuple[StoredClaim, list[ClaimLine], list[Visit]]] = []
    for group in _groups(visits):
        claim, lines = _draft(uow, snap, run, group)
        if not lines:
            report.skipped += len(group)  # no billable units: nothing to claim
            continue
        claim = _scrubbed(claim, assemble_claim(snap, claim, lines, group), run, rules)
        _remember(snap, claim, lines)
        pending.append((claim, lines, group))
        if len(pending) >= _BATCH:
            _store(uow, pending, report)
    _store(uow, pending, report)
    return report


def _scrubbed(
    claim: StoredClaim, assembled: Claim, run: ScrubContext, rules: Sequence[Rule]
) -> StoredClaim:
    """``claim`` with the status, findings and error count its scrub gives."""
    result = scrub_claim(assembled, run, rules)
    return dataclasses.replace(
        claim,
        status=scrubbed_status(result.status).value,
        findings=tuple(f.as_json() for f in result.findings),
        error_count=sum(1 for f in result.findings if f.severity == "error"),
    )


def _store(
    uow: UnitOfWork,
    pending: list[tuple[StoredClaim, list[ClaimLine], list[Visit]]],
    report: BuildReport,
) -> None:
    """Store a batch of built claims (in bulk: see :meth:`ClaimRepository.insert_built`) with
    their audit rows."""
    if not pending:
        return
    built = [(claim, lines, [v.id for v in visits]) for claim, lines, visits in pending]
    ids = uow.claims.insert_built(built, uow.actor_id)
    events: list[tuple[str, str, object, dict[str, object]]] = []
    for claim_id, (claim, lines, _) in zip(ids, pending, strict=True):
        after: dict[str, object] = {
            "number": claim.number,
            "status": claim.status,
            "total_charge": from_cents(claim.total_charge_cents),
            "lines": [f"{line.code}x{line.units}:{line.modifiers}" for line in lines],
            "findings": [f["rule"] for f in claim.findings],
        }
        events.append(("claim.create", "claim", claim_id, after))
        report.claims.append(claim_id)
        report.by_status[claim.status] += 1
    uow.audit.record_many(events)
    pending.clear()
