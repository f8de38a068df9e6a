"""Submitting approved claims: re-scrub, write 837P files (one per payer), send, mark submitted.

Why re-scrub: the records may have changed since approval (a note amended, an authorization
used up); a claim with an error finding now, or one the 837P writer cannot write, is refused and
stays ``approved`` with the reasons in the report. The rest are written one file per payer (the
writer groups them by billing provider inside), each with its own control number (ISA13/GS06) so
a 999 names the file it acknowledges; the files and their claims are recorded, the claims move to
``submitted``, and only then are the files handed to the transport.

:func:`submit_and_send` (the web's Submit button, ``otbill submit``) goes through the submission
outbox as the ``exchange.submit`` job does: the files are recorded "to send" with the claims' move
and committed, then sent and marked sent one by one
(:func:`otbill.services.exchange.outbox.send_outbox`). A transport failure leaves the claims
submitted and the files not sent in the outbox, said in the report (``not_sent``); the next
submission sends them first, byte for byte. :func:`submit_batch` sends inside the caller's
transaction (tests and benches): a transport failure there rolls everything back.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from otbill.clearinghouse.transport import EdiFile, Transport
from otbill.domain.claim import Claim
from otbill.domain.claim_records import ClaimFacts, StoredClaim
from otbill.domain.lifecycle import ClaimStatus
from otbill.errors import OtbillError
from otbill.rules.context import BatchIndex, ScrubContext
from otbill.rules.engine import scrub_claim
from otbill.rules.registry import Rule
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.assemble import assemble_claim
from otbill.services.claims.context import Snapshot, load_snapshot
from otbill.services.claims.prior_payers import coordinated
from otbill.services.exchange.files import file_digest, record_file
from otbill.services.exchange.outbox import send_outbox
from otbill.storage import Database, UnitOfWork
from otbill.x12.write_837p import Submission, check_claim, write_837p

__all__ = ["SubmissionReport", "load_claims", "submit_and_send", "submit_batch", "write_batch"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SubmissionReport:
    files: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)  # claim numbers
    refused: dict[str, str] = field(default_factory=dict)  # claim number → why
    sent: list[str] | None = None  # through the outbox: the files sent (earlier ones' included)
    not_sent: str = ""  # through the outbox: why sending stopped (the rest wait in the outbox)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"files": self.files, "submitted": self.submitted,
                                 "refused": self.refused}  # fmt: skip
        if self.sent is not None:
            found.update(sent=self.sent, not_sent=self.not_sent)
        return found

    def summary(self) -> str:
        head = f"{len(self.submitted)} claim(s) submitted in {len(self.files)} file(s)"
        sent = self.files if self.sent is None else self.sent
        lines = [head, *(f"  sent {name}" for name in sent)]
        lines += [f"  refused {n}: {why}" for n, why in self.refused.items()]
        if self.not_sent:
            lines.append(f"  {self.not_sent}: they wait in the outbox and the next submission "
                         "sends them first, unchanged")  # fmt: skip
        return "\n".join(lines)


def _claim(uow: UnitOfWork, snap: Snapshot, row: ClaimFacts) -> Claim:
    lines, visits = uow.claims.lines(row.id), uow.claims.visits(row.id)
    original = uow.claims.original_number(row.original_claim_id)
    return coordinated(uow, row, assemble_claim(snap, row, lines, visits, original))


def load_claims(uow: UnitOfWork, rows: Sequence[ClaimFacts]) -> list[Claim]:
    """The 837P-ready domain claims of stored claim rows (one snapshot of the records)."""
    snap = load_snapshot(uow, {r.patient_id for r in rows})
    return [_claim(uow, snap, row) for row in rows]


def _problems(claim: Claim, run: ScrubContext, rules: Sequence[Rule]) -> str | None:
    alone = dataclasses.replace(run, batch=BatchIndex())
    errors = [f for f in scrub_claim(claim, alone, rules).findings if f.severity == "error"]
    if errors:
        return "scrubber: " + "; ".join(f"{f.rule} {f.message}" for f in errors)
    problems = check_claim(claim)
    return "837P: " + "; ".join(problems) if problems else None


def write_batch(
    uow: UnitOfWork,
    run: ScrubContext,
    rules: Sequence[Rule],
    submission: Submission | None = None,
    *,
    outbox: bool = False,
) -> tuple[SubmissionReport, list[EdiFile]]:
    """Write the 837P files of every approved claim of the clinic that still scrubs clean, record
    them and move their claims to ``submitted`` (see the module doc); nothing is sent here. With
    ``outbox`` the files are recorded "to send" (their bytes kept) for
    :func:`otbill.services.exchange.outbox.send_outbox`."""
    report = SubmissionReport()
    rows = uow.claims.by_status(ClaimStatus.APPROVED.value)
    by_payer: dict[int, list[tuple[StoredClaim, Claim]]] = {}
    for row, claim in zip(rows, load_claims(uow, rows), strict=True):
        why = _problems(claim, run, rules)
        if why is not None:
            report.refused[row.number] = why
        else:
            by_payer.setdefault(row.payer_id, []).append((row, claim))
    code = uow.providers.billing().code
    base = submission or Submission()
    files = [_write(uow, report, code, batch, base, outbox) for batch in by_payer.values()]
    return report, files


def submit_batch(
    uow: UnitOfWork,
    transport: Transport,
    run: ScrubContext,
    rules: Sequence[Rule],
    submission: Submission | None = None,
) -> SubmissionReport:
    """Send every approved claim of the clinic that still scrubs clean (see the module doc)."""
    report, files = write_batch(uow, run, rules, submission)
    if files:
        transport.send(files)
    return report


def submit_and_send(
    db: Database,
    clinic_id: int,
    actor_id: int,
    transport: Transport,
    run: ScrubContext,
    rules: Sequence[Rule],
    submission: Submission | None = None,
) -> SubmissionReport:
    """Submit the approved claims that still scrub clean through the outbox (see the module
    doc): recorded and committed, then sent; the files an earlier submission left unsent go
    first. A transport failure is told in ``not_sent``: nothing is lost, nothing rolled back."""
    with db.unit_of_work(clinic_id, actor_id) as uow:
        report, _files = write_batch(uow, run, rules, submission, outbox=True)
        to_send = [file.name for file in uow.exchange.outbox()]
    try:
        report.sent = send_outbox(db, clinic_id, actor_id, transport)
    except (OtbillError, OSError) as error:
        log.warning("clinic %s: sending the outbox stopped (%s)", clinic_id, type(error).__name__)
        with db.unit_of_work(clinic_id, actor_id) as uow:
            waiting = {file.name for file in uow.exchange.outbox()}
        report.sent = [name for name in to_send if name not in waiting]
        why = str(error) or type(error).__name__
        report.not_sent = f"{len(waiting)} file(s) not sent ({why})"
    return report


def _write(
    uow: UnitOfWork,
    report: SubmissionReport,
    clinic_code: str,
    batch: list[tuple[StoredClaim, Claim]],
    base: Submission,
    outbox: bool,
) -> EdiFile:
    control = uow.exchange.next_control_number()
    text = write_837p([c for _, c in batch], dataclasses.replace(base, control_number=control))
    data = text.encode()
    name = f"{clinic_code}-{control:09d}.837"
    numbers = [row.number for row, _ in batch]
    sent = record_file(uow, direction="out", kind="837P", name=name, sha256=file_digest(data),
                       summary={"claims": numbers}, control_number=control,
                       outgoing=data if outbox else None)  # fmt: skip
    for row, _ in batch:
        uow.exchange.add_submitted(sent, "0001", row.id)
        claims.transition(uow, row.id, ClaimStatus.SUBMITTED, f"837P {name}")
    uow.flush()
    report.files.append(name)
    report.submitted += numbers
    return EdiFile(name, data)
