"""The claim pipeline in batches: visits → claims (built and scrubbed) → the 837P of the clean ones.

What :func:`otbill.services.claims.build.build_claims` does for a whole clinic, done for a list of
visits (a job's batch, issue 15) in bounded transactions: each :data:`BATCH_VISITS` visits are read
in a few queries (the unbilled ones among them, then one snapshot of their patients' records),
built and scrubbed in memory, stored in bulk (claims, lines, visit links, status history, audit
rows: :meth:`ClaimRepository.insert_built`), and the clean claims (status ``ready``) are written
as one 837P per payer with the same writer submission uses.

The 837P is *prepared*, not sent: a claim is sent only once a person with the approver role
approved it (separation of duties; :func:`otbill.services.claims.lifecycle.approve`), and
submission re-scrubs and writes it again. The prepared file lets the billing company check the
batch (``out_dir``; none written when no folder is given).

Idempotent: a visit already on a claim (other than a void) is skipped, so running the same batch
again builds nothing and writes nothing. Each batch commits on its own: a run killed half-way keeps
the batches it finished, and running it again builds the rest.

Overlapping runs (a job taken again while its first attempt still runs, two jobs or a person
building claims for the same patients): each batch first locks its patients
(:meth:`VisitRepository.hold_for_billing`), so the second waits for the first to commit and then
finds those visits billed and their claim numbers taken. Should a number still be taken when a
batch stores it, the batch is built again from what is committed then; after
:data:`NUMBER_RETRIES` its visits are counted as ``number_taken`` with a finding in words (the next
run builds them), never a failed job.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from otbill import clock
from otbill.domain.care import Visit
from otbill.domain.claim import Claim
from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.record_errors import ConstraintViolation
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule, load_rules
from otbill.services.claims.assemble import assemble_claim
from otbill.services.claims.build import (
    BuildReport,
    _draft,
    _groups,
    _remember,
    _scrubbed,
    _store,
)
from otbill.services.claims.context import load_snapshot
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.denials.prevention import with_clinic_rules
from otbill.services.self_pay.charges import charge_visits
from otbill.settings import load_settings
from otbill.storage import Database, UnitOfWork
from otbill.x12.write_837p import Submission, check_claim, write_837p

__all__ = ["BATCH_VISITS", "NUMBER_RETRIES", "PipelineCounts", "run_batch"]

log = logging.getLogger(__name__)

#: Visits per transaction: one snapshot read and one bulk write each.
BATCH_VISITS = 500

#: Times a batch is built again when a claim number it chose was taken meanwhile.
NUMBER_RETRIES = 2

#: ``progress(done, total, note)``: visits handled so far, of how many.
Progress = Callable[[int, int, str], None]


@dataclass
class PipelineCounts:
    """What a run did, in counts (JSON-ready: a job's result)."""

    visits: int = 0  # asked for
    already_billed: int = 0  # on a claim before this run (skipped)
    self_pay: int = 0  # no claim: charged to the patient's account
    no_units: int = 0  # nothing billable
    claims: int = 0  # built
    held: int = 0  # the scrubber found an error
    ready: int = 0  # clean
    written: int = 0  # clean claims in a prepared 837P
    not_writable: int = 0  # clean, but the 837P writer refused them (see the claim)
    number_taken: int = 0  # not built: another build took their claim numbers (see findings)
    files: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # in words, for the job's page

    def add(self, other: PipelineCounts) -> None:
        for name in ("already_billed", "self_pay", "no_units", "claims", "held", "ready",
                     "written", "not_writable", "number_taken"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.files += other.files
        self.findings += other.findings

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def run_batch(
    db: Database,
    clinic_id: int,
    actor_id: int,
    visit_ids: Sequence[int],
    progress: Progress | None = None,
    *,
    run: ScrubContext | None = None,
    rules: Sequence[Rule] | None = None,
    out_dir: Path | None = None,
    submission: Submission | None = None,
) -> PipelineCounts:
    """Build, scrub and prepare the 837P of the clean claims for these visits (see the module
    docstring); returns the counts. ``run``/``rules`` default to the packaged ones as of today."""
    ids = list(dict.fromkeys(visit_ids))
    if run is None:
        run = build_scrub_context(load_settings(), clock.today())
    rules = list(rules) if rules is not None else load_rules()
    counts = PipelineCounts(visits=len(ids))
    tell = progress or (lambda _done, _total, _note: None)
    with db.unit_of_work(clinic_id, actor_id) as uow:
        code = uow.providers.billing().code
        chunks = _chunks(uow.visits.unbilled(among=ids))
    counts.already_billed = len(ids) - sum(len(chunk) for chunk in chunks)
    done_visits = counts.already_billed
    for chunk in chunks:
        done, prepared = _stored_batch(db, clinic_id, actor_id, chunk, run, rules)
        if out_dir is not None and prepared:
            base = submission or Submission()
            done.files = _write_files(out_dir, code, chunk[0], prepared, base)
            done.written = sum(len(c) for c in prepared.values())
        counts.add(done)
        done_visits += len(chunk)
        tell(done_visits, len(ids), "")
    return counts


def _chunks(visits: Sequence[Visit]) -> list[list[int]]:
    """The visits' ids in batches of about :data:`BATCH_VISITS`, never splitting the visits one
    claim bills (the same patient, coverage and day)."""
    groups: dict[tuple[int, int | None, object], list[int]] = {}
    for visit in visits:
        groups.setdefault((visit.patient_id, visit.coverage_id, visit.date), []).append(visit.id)
    chunks: list[list[int]] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > BATCH_VISITS:
            chunks.append([])
        chunks[-1] += group
    return [chunk for chunk in chunks if chunk]


def _stored_batch(
    db: Database,
    clinic_id: int,
    actor_id: int,
    ids: Sequence[int],
    run: ScrubContext,
    rules: Sequence[Rule],
) -> tuple[PipelineCounts, dict[int, list[Claim]]]:
    """One batch in its own transaction, built again (at most :data:`NUMBER_RETRIES` times)
    when a claim number it chose was taken by another build before it committed."""
    for attempt in range(NUMBER_RETRIES + 1):
        try:
            with db.unit_of_work(clinic_id, actor_id) as uow:
                return _batch(uow, ids, run, rules)
        except ConstraintViolation as error:
            if not _number_taken(error):
                raise
            log.warning("clinic %s: a claim number was taken by another build (try %s of %s)",
                        clinic_id, attempt + 1, NUMBER_RETRIES + 1)  # fmt: skip
    counts = PipelineCounts(number_taken=len(ids))
    counts.findings.append(
        f"{len(ids)} visits were not built: another claim build running at the same time took "
        "the claim numbers they needed; run this batch again to build them"
    )
    return counts, {}


def _number_taken(error: ConstraintViolation) -> bool:
    """The claim's unique number (clinic, number) refused the write."""
    return error.table == "claim" and "number" in error.constraint


def _batch(
    uow: UnitOfWork, ids: Sequence[int], run: ScrubContext, rules: Sequence[Rule]
) -> tuple[PipelineCounts, dict[int, list[Claim]]]:
    """One batch in the caller's unit of work: (counts, the clean claims by payer id). Its
    patients are locked first: another build of them is waited for, then seen."""
    counts = PipelineCounts()
    uow.visits.hold_for_billing(among=ids)
    visits = uow.visits.unbilled(among=ids)
    counts.already_billed = len(ids) - len(visits)
    self_pay = uow.self_pay.self_pay_patients({v.patient_id for v in visits})
    cash = [v for v in visits if v.patient_id in self_pay or v.coverage_id is None]
    if cash:  # a self-pay visit makes no claim: charges on the patient's account
        charge_visits(uow, cash)
        counts.self_pay = len(cash)
        visits = [v for v in visits if v.patient_id not in self_pay and v.coverage_id is not None]
    if not visits:
        return counts, {}
    built, clean = _build(uow, visits, run, rules)
    # counted before storing: _store empties the list it is given
    counts.no_units = len(visits) - sum(len(group) for _, _, group in built)
    report = BuildReport()
    _store(uow, built, report)
    counts.claims = len(report.claims)
    counts.held = report.by_status.get("held", 0)
    counts.ready = report.by_status.get("ready", 0)
    prepared: dict[int, list[Claim]] = {}
    for stored, claim in clean:
        if check_claim(claim):
            counts.not_writable += 1
        else:
            prepared.setdefault(stored.payer_id, []).append(claim)
    return counts, prepared


Built = tuple[StoredClaim, list[ClaimLine], list[Visit]]


def _build(
    uow: UnitOfWork, visits: Sequence[Visit], run: ScrubContext, rules: Sequence[Rule]
) -> tuple[list[Built], list[tuple[StoredClaim, Claim]]]:
    """The batch's claims built and scrubbed in memory, as ``build_claims`` builds them (one
    snapshot of the batch's patients); and the clean ones as the 837P writer takes them."""
    snap = load_snapshot(uow, {v.patient_id for v in visits})
    run = with_clinic_rules(uow, run)  # the clinic's accepted prevention checks (CLN001)
    built: list[Built] = []
    clean: list[tuple[StoredClaim, Claim]] = []
    for group in _groups(visits):
        claim, lines = _draft(uow, snap, run, group)
        if not lines:
            continue
        assembled = assemble_claim(snap, claim, lines, group)
        claim = _scrubbed(claim, assembled, run, rules)
        _remember(snap, claim, lines)
        built.append((claim, lines, list(group)))
        if claim.status == "ready":
            clean.append((claim, assembled))
    return built, clean


def _write_files(
    out_dir: Path, code: str, first_visit: int, prepared: dict[int, list[Claim]], base: Submission
) -> list[str]:
    """One prepared 837P per payer, written whole (a temporary name, then renamed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for payer_id, claims in sorted(prepared.items()):
        name = f"{code}-prepared-v{first_visit}-p{payer_id}.837"
        path = out_dir / name
        temporary = path.with_suffix(".part")
        temporary.write_text(write_837p(claims, base))
        temporary.replace(path)
        names.append(name)
    return names
