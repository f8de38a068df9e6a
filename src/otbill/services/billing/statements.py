"""Patient statements: who is due one on a date, the run that sends them, and the holds.

Where patient money is read from: the claim ledger (the patient's share, moved to them by the
payer's 835, and their payments on claim lines) and the patient account (entries outside claims:
opening balances, self-pay charges, credits). A statement goes to the guarantor: siblings with the
same parent get one statement.

Who is due a statement on a date: the guarantor's amount due is above the clinic's minimum, no
hold keeps it back, and the next notice of their cycle is due (30 days after the last one; see
:mod:`otbill.domain.statements`). A guarantor past the final notice is listed for collections
review and sent nothing.

The run (:func:`run_statements`): builds every due statement from one read of the facts, records
them in chunks of :data:`CHUNK` (each chunk its own transaction, so a stopped run keeps what it
recorded), then writes the batch's files from the statements as recorded: one combined PDF and a
CSV for the mailing service. Idempotent per date: one statement per guarantor per date (checked,
and backed by a unique index), so a second run the same day sends nothing twice; a run that
stopped before its files were written writes them when run again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import NotFound, RecordError
from otbill.domain.statements import (
    Aging,
    Cycle,
    Guarantee,
    Statement,
    StatementTerms,
    build_statement,
    group_by_guarantor,
    statement_from_json,
    statement_json,
)
from otbill.pdf.statement import ClinicHeader, render_statement, render_statements
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import Database, UnitOfWork
from otbill.storage.repositories.statements import Hold, SentStatement, StatementRepository

__all__ = [
    "CHUNK",
    "CSV_COLUMNS",
    "Due",
    "DueList",
    "RunSummary",
    "due_list",
    "hold",
    "lift_hold",
    "mailing_csv",
    "run_statements",
    "statement_pdf",
]

CHUNK = 500
SENDABLE = (Cycle.FIRST, Cycle.SECOND, Cycle.FINAL)
CSV_COLUMNS = ("statement_id", "batch", "statement_date", "cycle", "name", "address_line1",
               "city", "state", "zip", "account", "amount_due", "due_date", "patients")  # fmt: skip
_ROLES = (Role.BILLER, Role.FRONT_DESK)


def _repo(uow: UnitOfWork) -> StatementRepository:
    return StatementRepository(uow.session, uow.clinic_id)


@dataclass(frozen=True, slots=True)
class Due:
    """One guarantor with an amount due above the minimum on the date."""

    statement: Statement
    held: str | None = None  # the hold's reason: not sent
    sent_today: bool = False

    @property
    def will_send(self) -> bool:
        return self.statement.cycle in SENDABLE and self.held is None and not self.sent_today

    @property
    def status(self) -> str:
        """In words: what a run on the date does with it."""
        if self.held is not None:
            return f"On hold: {self.held}"
        if self.sent_today:
            return "Already sent on this date"
        cycle = self.statement.cycle
        if cycle is None:
            return "Not due yet (last notice under 30 days ago)"
        if cycle is Cycle.COLLECTIONS:
            return "Collections review: the final notice was sent; no further statement"
        return f"Will send: {cycle.words.lower()}"


@dataclass(frozen=True, slots=True)
class DueList:
    on: dt.date
    items: tuple[Due, ...]

    @property
    def to_send(self) -> list[Due]:
        return [d for d in self.items if d.will_send]

    @property
    def aging(self) -> Aging:
        return sum((d.statement.aging for d in self.items), Aging())

    @property
    def amount_due(self) -> Decimal:
        return sum((d.statement.amount_due for d in self.items), Decimal("0.00"))


def due_list(uow: UnitOfWork, on: dt.date, terms: StatementTerms | None = None) -> DueList:
    """Every guarantor whose amount due on ``on`` is above the minimum, with what a run does."""
    terms = terms or StatementTerms()
    repo = _repo(uow)
    facts = repo.facts(repo.patients_with_patient_money())
    holds = repo.holds()
    last = repo.last_sent()
    sent = repo.sent_on(on)
    out = []
    for guarantee in group_by_guarantor(facts.patients.values()):
        patients = [pid for pid, _ in guarantee.patients]
        held = _held(holds, patients)
        kept = [p for p in patients if not (p in holds and holds[p].scope == "patient")]
        if not kept:  # every patient of the guarantor held: the statement is held
            kept, held = patients, holds[patients[0]].reason
        if len(kept) < len(patients):
            guarantee = Guarantee(guarantee.key, guarantee.name, guarantee.address_line1,
                                  guarantee.city, guarantee.state, guarantee.zip,
                                  guarantee.account_number,
                                  tuple(p for p in guarantee.patients if p[0] in kept))  # fmt: skip
        activity = [a for p in kept for a in facts.activity.get(p, ())]
        entries = [e for p in kept for e in facts.entries.get(p, ())]
        statement = build_statement(guarantee, activity, entries, on=on, terms=terms,
                                    last=last.get(guarantee.key))  # fmt: skip
        if statement.amount_due <= terms.minimum:
            continue
        out.append(Due(statement, held, guarantee.key in sent))
    out.sort(key=lambda d: (-d.statement.amount_due, d.statement.guarantee.name))
    return DueList(on, tuple(out))


def _held(holds: dict[int, Hold], patients: Sequence[int]) -> str | None:
    for pid in patients:
        h = holds.get(pid)
        if h is not None and h.scope == "guarantor":
            return h.reason
    return None


# --- holds ----------------------------------------------------------------------------------


def hold(uow: UnitOfWork, patient_id: int, *, reason: str, whole_guarantor: bool = False) -> None:
    """Do not send statements for the patient (or, ``whole_guarantor``, their guarantor's)."""
    require_actor_role(uow, *_ROLES)
    reason = " ".join(reason.split())
    if not reason:
        raise RecordError("statement hold: a reason is needed (say why no statement is sent)")
    uow.patients.get(patient_id)
    repo = _repo(uow)
    before = repo.holds().get(patient_id)
    scope = "guarantor" if whole_guarantor else "patient"
    repo.hold(patient_id, scope, reason, uow.actor_id)
    uow.audit.record(uow.actor_id, "statement_hold.set", "patient", patient_id,
                     {"scope": before.scope, "reason": before.reason} if before else None,
                     {"scope": scope, "reason": reason})  # fmt: skip


def lift_hold(uow: UnitOfWork, patient_id: int) -> bool:
    """Statements may be sent again; False when there was no hold."""
    require_actor_role(uow, *_ROLES)
    repo = _repo(uow)
    before = repo.holds().get(patient_id)
    if before is None:
        return False
    repo.lift(patient_id)
    uow.audit.record(uow.actor_id, "statement_hold.lift", "patient", patient_id,
                     {"scope": before.scope, "reason": before.reason}, None)  # fmt: skip
    return True


def hold_of(uow: UnitOfWork, patient_id: int) -> Hold | None:
    return _repo(uow).holds().get(patient_id)


def sent_to_patient(uow: UnitOfWork, patient_id: int) -> list[SentStatement]:
    return _repo(uow).of_patient(patient_id)


def recent(uow: UnitOfWork, limit: int = 200) -> list[SentStatement]:
    return _repo(uow).recent(limit)


# --- the run --------------------------------------------------------------------------------


@dataclass(slots=True)
class RunSummary:
    on: dt.date
    dry_run: bool
    due: int = 0  # guarantors above the minimum
    sent: int = 0
    held: int = 0
    already_sent: int = 0
    not_due_yet: int = 0
    collections: int = 0
    amount: Decimal = Decimal("0.00")
    batches: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def run_statements(
    db: Database,
    clinic_id: int,
    user_id: int | None,
    on: dt.date,
    *,
    out_dir: Path,
    terms: StatementTerms | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> RunSummary:
    """Send the statements due on ``on``: record them, then write the batch's combined PDF and
    mailing CSV under ``out_dir``. ``dry_run``: count only, nothing recorded or written."""
    terms = terms or StatementTerms()
    with db.unit_of_work(clinic_id, user_id) as uow:
        require_actor_role(uow, *_ROLES)
        listed = due_list(uow, on, terms)
        batches = _repo(uow).batches_on(on)
    summary = RunSummary(on, dry_run, due=len(listed.items))
    for item in listed.items:
        cycle = item.statement.cycle
        summary.held += item.held is not None
        summary.already_sent += item.held is None and item.sent_today
        summary.not_due_yet += item.held is None and not item.sent_today and cycle is None
        summary.collections += (item.held is None and not item.sent_today
                                and cycle is Cycle.COLLECTIONS)  # fmt: skip
    to_send = listed.to_send
    summary.sent = len(to_send)
    summary.amount = sum((d.statement.amount_due for d in to_send), Decimal("0.00"))
    if dry_run:
        return summary
    batch = f"{on.isoformat()}-{len(batches) + 1}"
    if to_send:
        for done in _record(db, clinic_id, user_id, to_send, batch):
            progress("recording", done, len(to_send))
        batches.append(batch)
    del listed, to_send  # printing reads the statements as recorded: free the built ones first
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in batches:
        pdf_path, csv_path = out_dir / f"statements-{name}.pdf", out_dir / f"mailing-{name}.csv"
        if pdf_path.exists() and csv_path.exists() and name != batch:
            continue
        summary.files += _write_batch(db, clinic_id, user_id, name, terms, pdf_path, csv_path,
                                      progress)  # fmt: skip
        summary.batches.append(name)
    return summary


def _record(db: Database, clinic_id: int, user_id: int | None, items: Sequence[Due],
            batch: str) -> Iterator[int]:  # fmt: skip
    done = 0
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        with db.unit_of_work(clinic_id, user_id) as uow:
            repo = _repo(uow)
            sent = repo.sent_on(chunk[0].statement.on)  # another run may have sent some since
            for item in chunk:
                s = item.statement
                if s.guarantee.key in sent or s.cycle is None:
                    continue
                repo.add(guarantor_key=s.guarantee.key, guarantor_name=s.guarantee.name,
                         patient_ids=[p for p, _ in s.guarantee.patients], cycle=s.cycle, on=s.on,
                         amount_due=s.amount_due, due_on=s.due_on, batch=batch,
                         body=statement_json(s), by_user=user_id)  # fmt: skip
            repo.written()
            uow.audit.record(user_id, "statements.sent", "statement_batch", batch, None,
                             {"statements": len(chunk), "from": start + 1})  # fmt: skip
        done += len(chunk)
        yield done


def _write_batch(db: Database, clinic_id: int, user_id: int | None, batch: str,
                 terms: StatementTerms, pdf_path: Path, csv_path: Path,
                 progress: Progress) -> list[Path]:  # fmt: skip
    with db.unit_of_work(clinic_id, user_id) as uow:
        sent = _repo(uow).of_batch(batch)
        clinic = _clinic(uow)
    total = len(sent)

    def statements() -> Iterator[Statement]:
        for i, s in enumerate(sent, 1):
            yield statement_from_json(s.body)
            if i % 100 == 0 or i == total:
                progress("printing", i, total)

    on = sent[0].on if sent else dt.date.fromisoformat(batch[:10])
    tmp_pdf = pdf_path.with_suffix(".pdf.part")
    tmp_pdf.write_bytes(render_statements(statements(), clinic, terms, on))
    tmp_pdf.replace(pdf_path)
    tmp_csv = csv_path.with_suffix(".csv.part")
    tmp_csv.write_text(mailing_csv(sent), encoding="utf-8", newline="")
    tmp_csv.replace(csv_path)
    return [pdf_path, csv_path]


def _clinic(uow: UnitOfWork) -> ClinicHeader:
    c = uow.clinics.identity()
    where = _address(*c.address)
    return ClinicHeader(c.name, where, _address(*c.pay_to) if c.pay_to else where)


def _address(line1: str, city: str, state: str, zip_code: str) -> str:
    shown = f"{zip_code[:5]}-{zip_code[5:]}" if len(zip_code) == 9 else zip_code
    return f"{line1}, {city}, {state} {shown}"


def mailing_csv(sent: Sequence[SentStatement]) -> str:
    """One row per statement for the mailing service: address, amount due, due date, cycle."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in sent:
        g = s.body["guarantee"]
        writer.writerow([s.id, s.batch, s.on.isoformat(), s.cycle.value, g[1], g[2], g[3], g[4],
                         g[5], g[6], f"{s.amount_due_cents / 100:.2f}", s.due_on.isoformat(),
                         "; ".join(str(n) for _, n in g[7])])  # fmt: skip
    return out.getvalue()


def statement_pdf(
    uow: UnitOfWork, statement_id: int, terms: StatementTerms | None = None
) -> tuple[str, bytes]:
    """One sent statement's PDF as it was sent: (file name, bytes)."""
    s = _repo(uow).get(statement_id)
    if s is None:
        raise NotFound("statement", statement_id)
    body = render_statement(statement_from_json(s.body), _clinic(uow), terms or StatementTerms())
    return f"statement-{s.on.isoformat()}-{s.id}.pdf", body
