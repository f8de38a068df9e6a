"""Posting an 835: match each claim payment to our claim and post it, a few claims per transaction.

Safety first, in this order:

1. The same file (SHA-256) posted again reports "already posted" and changes nothing.
2. A file that cannot be read (:class:`X12Error`) or whose reader findings include an error — a
   balancing break, a wrong segment count — posts nothing (:class:`RemittanceRefused` names the
   segment). There is no ``--force``: money read wrongly must never post.
3. Each claim payment has a source key ``835:<payer>:<TRN02>:<CLP01>#<n>`` (n: its occurrence in
   that payment, as a reversal and its correction share a CLP01); every posting key extends it, so
   the same remittance arriving in another envelope posts nothing twice.
4. A file addressed to another payee (N1*PE NPI or tax ID, REF*TJ) posts nothing
   (:class:`PayeeRefused`, see :mod:`otbill.services.remittances.payee`) unless ``any_payee``.

Per claim payment (CLP01 = our claim number): a claim we do not have, one in a state where no
payment is expected, or one with a negative or fractional-cent amount goes to the work queue, with
why. Otherwise its postings (see :mod:`otbill.services.remittances.plan`) are made, the payer's
claim number (CLP07) is kept for corrections (REF*F8), the claim moves to paid / partially_paid /
denied (a submitted claim passes through accepted), and a denial is opened when money was denied.
CLP02 22 (reversal) reverses our earlier 835 postings for the claim; the corrected payment that
usually follows posts normally. PLB provider adjustments are queued with their amounts, for the
biller to post to the ledger (:mod:`otbill.services.remittances.provider_adjustments`).

Bounded transactions: the file is checked first (1, 2, 4), then posted in short steps (the
remittance, then up to :data:`CLAIMS_PER_TRANSACTION` claim payments at a time, then its PLBs; see
:mod:`otbill.services.remittances.remittance_posting`), each in its own transaction and retried
when the database is busy (:mod:`otbill.services.remittances.turns`). A step is planned first,
reading only (no row written or locked), then written; on PostgreSQL each step is written while
the next is planned (:mod:`otbill.services.remittances.overlap`). Another writer — a web form, a
second posting — waits at most one step's writing, not the whole file. A run stopped half-way (the
database busy too long, the process killed) keeps the claims it posted, whole steps; the file is
recorded by its SHA-256 only when every step is done, so posting the same file again finishes it
and, by (3), posts nothing twice.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from otbill import clock
from otbill.services.exchange.files import file_digest, find_file, record_file
from otbill.services.remittances.overlap import OverlappedSteps
from otbill.services.remittances.payee import PayeeRefused, check_payee
from otbill.services.remittances.remittance_posting import RemittancePosting
from otbill.services.remittances.report import PostingReport, RemittanceRefused
from otbill.services.remittances.turns import Turns
from otbill.storage import Database, UnitOfWork
from otbill.storage.busy import DatabaseBusy
from otbill.x12.read_835 import Read835, read_835

__all__ = [
    "CheckedFile",
    "PayeeRefused",
    "PostingReport",
    "RemittanceRefused",
    "check_remittance",
    "post_checked",
    "post_remittance",
    "post_remittance_in",
]

#: Claim payments per transaction at most: their records are read and their postings written a
#: batch at a time, so large enough that the batch's few queries stay a small part of the work
#: (at 200 a 10,000-claim file took 1.8 s longer); a step's planning also ends after
#: :data:`STEP_SECONDS`. Locks are held only while a step is written: about 1.5 s for two
#: thousand claim payments on PostgreSQL (docs/performance.md), which another writer may wait.
#: Steps of 2,000 posted a 10,000-claim file 6 to 12% sooner than steps of 1,000 (fewer
#: statements a file; the first step stays small: :mod:`.overlap`).
CLAIMS_PER_TRANSACTION = 2000
STEP_SECONDS = 1.0

#: ``progress(done, total, note)``: claim payments posted so far, of how many; ``note`` says why
#: the posting is waiting, when it is.
Progress = Callable[[int, int, str], None]


def post_remittance(
    db: Database,
    clinic_id: int,
    actor_id: int,
    source: Path | bytes,
    *,
    name: str | None = None,
    today: dt.date | None = None,
    any_payee: bool = False,
    progress: Progress | None = None,
) -> PostingReport:
    """Post an 835 file (a path or its bytes) for one clinic, in bounded transactions.

    ``any_payee`` posts a file addressed to another payee (test corpora only). ``progress`` is
    told after each step. :class:`DatabaseBusy` when the database stayed busy: what was posted is
    kept, and posting the same file again finishes it."""
    data = source.read_bytes() if isinstance(source, Path) else source
    label = name or (source.name if isinstance(source, Path) else "835")
    checked = check_remittance(db, clinic_id, actor_id, data, label, any_payee=any_payee)
    return post_checked(db, clinic_id, actor_id, checked, today=today, progress=progress)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An 835 that may post (safety checks 1, 2 and 4 passed), or one posted before."""

    name: str
    sha: str
    read: Read835 | None  # None: this file was posted before

    @property
    def already_posted(self) -> bool:
        return self.read is None

    @property
    def claims(self) -> int:
        return sum(len(r.claims) for r in self.read.remittances) if self.read else 0


def check_remittance(
    db: Database, clinic_id: int, actor_id: int, data: bytes, name: str, *, any_payee: bool = False
) -> CheckedFile:
    """Whether the file may post, before anything is written: :class:`RemittanceRefused`,
    :class:`PayeeRefused` or ``X12Error`` when it must not (reads only)."""
    sha = file_digest(data)
    turns = Turns(db, clinic_id, actor_id)
    if turns.run(lambda uow: find_file(uow, "in", sha)) is not None:
        return CheckedFile(name, sha, None)
    read = _readable(data, name)
    if not any_payee:
        turns.run(lambda uow: check_payee(uow, name, (r.header for r in read.remittances)))
    return CheckedFile(name, sha, read)


#: The collector's first threshold while a file posts (CPython's default is 700 new objects).
#: Posting makes and drops objects by the hundred thousand, few of them in cycles: with the
#: default the collector ran about 2,000 times over a 10,000-claim file, seven of them through
#: every object of the process (the file read, the ORM's state), 2.0 s of 9 s of CPU; with this,
#: 0.3 s. The young objects it lets pile up are a few megabytes at most.
COLLECT_AFTER = 20_000

_collecting = threading.Lock()
_posting_now = 0  # files posting in this process (the thresholds are the process's)
_thresholds: tuple[int, ...] = ()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The garbage collector run less often while a file posts; as before once the last posting
    of the process ends (several may post at once, on threads)."""
    global _posting_now, _thresholds
    with _collecting:
        if _posting_now == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(max(COLLECT_AFTER, _thresholds[0]), *_thresholds[1:])
        _posting_now += 1
    try:
        yield
    finally:
        with _collecting:
            _posting_now -= 1
            if _posting_now == 0:
                gc.set_threshold(*_thresholds)


def post_checked(
    db: Database,
    clinic_id: int,
    actor_id: int,
    checked: CheckedFile,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> PostingReport:
    """Post a file :func:`check_remittance` passed (see :func:`post_remittance`)."""
    with _fewer_collections():
        return _post_checked(db, clinic_id, actor_id, checked, today=today, progress=progress)


def _post_checked(
    db: Database,
    clinic_id: int,
    actor_id: int,
    checked: CheckedFile,
    *,
    today: dt.date | None,
    progress: Progress | None,
) -> PostingReport:
    label, sha, total = checked.name, checked.sha, checked.claims
    report = PostingReport(label)
    if checked.read is None:
        report.already_posted = True
        return report
    on = today or clock.today()
    tell = progress or (lambda _done, _total, _note: None)
    turns = Turns(db, clinic_id, actor_id, waiting=lambda note: tell(report.claims, total, note))

    def done(step: PostingReport) -> None:  # a step committed
        report.merge(step)
        tell(report.claims, total, "")

    try:
        for remittance in checked.read.remittances:
            posting = RemittancePosting(remittance, sha, on, label)
            report.merge(turns.run(posting.open))
            keyed = posting.keyed_payments()
            if _overlaps(db):
                OverlappedSteps(turns, posting, CLAIMS_PER_TRANSACTION, STEP_SECONDS, done).run(
                    keyed
                )
            else:
                start = 0
                while start < len(keyed):
                    chunk = keyed[start : start + CLAIMS_PER_TRANSACTION]
                    step = turns.run(
                        partial(posting.post_claims, payments=chunk, seconds=STEP_SECONDS)
                    )
                    done(step)
                    start += step.claims  # the step may stop early: the rest go in the next one
            report.merge(turns.run(posting.queue_provider_adjustments))
        turns.run(lambda uow: _record(uow, label, sha, report))
    except DatabaseBusy as busy:
        raise DatabaseBusy(
            busy.detail,
            f"{label}: the database stayed busy; {report.claims} of {total} claim payment(s) "
            "posted and kept; post the same file again to finish (nothing posts twice)",
        ) from busy
    return report


def _overlaps(db: Database) -> bool:
    """Whether steps are written while the next is planned: on PostgreSQL (SQLite has one writer:
    nothing to gain), when the pool lends three connections at once (the step written, the step
    planned, and a busy step run again alone; a smaller pool would make them wait on each other
    until its timeout)."""
    at_once = db.connections_at_once()
    return db.backend == "postgresql" and (at_once is None or at_once >= 3)


def post_remittance_in(
    uow: UnitOfWork, data: bytes, name: str, today: dt.date, *, any_payee: bool = False
) -> PostingReport:
    """:func:`post_remittance` in the caller's unit of work: the whole file in one transaction."""
    report = PostingReport(name)
    sha = file_digest(data)
    if find_file(uow, "in", sha) is not None:
        report.already_posted = True
        return report
    read = _readable(data, name)
    if not any_payee:
        check_payee(uow, name, (r.header for r in read.remittances))
    for remittance in read.remittances:
        posting = RemittancePosting(remittance, sha, today, name)
        report.merge(posting.open(uow))
        report.merge(posting.post_claims(uow, posting.keyed_payments()))
        report.merge(posting.queue_provider_adjustments(uow))
    _record(uow, name, sha, report)
    return report


def _readable(data: bytes, name: str) -> Read835:
    """The file read, or :class:`RemittanceRefused` (X12Error: not readable at all)."""
    read = read_835(data)
    errors = [f for f in read.findings if f.severity == "error"]
    if errors or not read.remittances:
        raise RemittanceRefused(name, errors)
    return read


def _record(uow: UnitOfWork, name: str, sha: str, report: PostingReport) -> None:
    """The file is posted: remembered by SHA-256 (once, even when two runs finish together)."""
    if find_file(uow, "in", sha) is None:
        record_file(uow, direction="in", kind="835", name=name, sha256=sha, summary=report.counts())
