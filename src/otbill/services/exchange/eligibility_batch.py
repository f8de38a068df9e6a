"""Re-verify eligibility in a batch: the night before a date's visits, or at a plan year's start.

:func:`start_run` chooses who to ask and keeps it as a run with one item per coverage and date of
service: with kind ``scheduled``, the primary coverage active on the date of every patient with a
booked (not cancelled) appointment that day; with ``plan-year``, every patient with a coverage
active on the date and a visit or booked appointment in the 90 days before it, or a plan of care
still open. A second start for the same date and kind resumes the run that has not finished
(adding only patients booked since); a coverage someone already checked for that date today is
not asked again (its item is answered by that check).

:func:`run_batch` asks the payer for every item not answered yet. The exchanges (the slow part)
run on a pool of ``concurrency`` threads; the database is read and written on the calling thread
only, in short transactions of about ``batch`` items (:class:`~otbill.services.remittances.turns.
Turns`: other writers get in between; a busy database is waited for). An item is marked sent, with
one more attempt, before its 270 leaves, and marked answered in the same transaction that keeps
the answer (as :func:`~otbill.services.exchange.eligibility.store_check` keeps any check), so a
batch killed at any point and run again asks only what it has no answer for. A resent item
carries the same trace number (TRN02) and, to a transport that takes one, the same PayloadID, so a
payer or clearinghouse that saw the first try can tell it is a resend. A failed exchange (the
transport's own timeout and retries with backoff spent) or a record that cannot make a 270 marks
the item failed with the reason in plain words; the run ends with its counts either way.
"""

from __future__ import annotations

import datetime as dt
import pickle
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.domain.eligibility_runs import (
    RUN_KINDS,
    EligibilityRun,
    NewRunItem,
    RunItem,
    RunResult,
)
from otbill.domain.record_errors import RecordError
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.services.exchange.eligibility import (
    AnsweredCheck,
    PreparedCheck,
    Wanted,
    exchange_check,
    prepare_checks,
    store_check,
    store_checks,
)
from otbill.services.remittances.turns import Turns
from otbill.storage import Database, UnitOfWork

__all__ = [
    "ALREADY_CHECKED",
    "PLAN_YEAR_LOOKBACK_DAYS",
    "BatchOptions",
    "Progress",
    "ResultRow",
    "payload_id_of",
    "result_rows",
    "run_batch",
    "start_run",
]

PLAN_YEAR_LOOKBACK_DAYS = 90
ALREADY_CHECKED = "already checked for this date today; not asked again"

Progress = Callable[[int, int], None]  # (items done, items in the run)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How a run asks: threads for the exchanges, items per transaction, what to ask about."""

    concurrency: int = 8
    batch: int = 50
    disciplines: tuple[str, ...] = ("OT",)
    processes: int = 1  # more: the exchanges spread over that many worker processes

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= 64:
            raise RecordError(f"concurrency {self.concurrency}: between 1 and 64 at once")
        if not 1 <= self.processes <= min(16, self.concurrency):
            raise RecordError(f"processes {self.processes}: between 1 and 16, and no more than "
                              f"the requests at once ({self.concurrency})")  # fmt: skip
        if not 1 <= self.batch <= 1000:
            raise RecordError(f"batch {self.batch}: between 1 and 1000 items per transaction")


def payload_id_of(run: EligibilityRun, item: RunItem) -> str:
    """The PayloadID of a run item's request: a UUID (as CAQH CORE asks), the same on a resend,
    another for every run (the run's start time is in it, so two databases do not collide)."""
    key = f"otbill:eligibility-run:{run.id}:{run.started_at.isoformat()}:{item.trace}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def _control_number(item: RunItem) -> int:
    return 1 + item.id % 999_999_999


def _chosen(uow: UnitOfWork, for_date: dt.date, kind: str) -> list[NewRunItem]:
    if kind == "scheduled":
        return uow.eligibility_runs.booked_on(for_date)
    return uow.eligibility_runs.active_around(for_date, days=PLAN_YEAR_LOOKBACK_DAYS)


def start_run(uow: UnitOfWork, for_date: dt.date, kind: str, *, today: dt.date) -> int:
    """The run for ``for_date`` and ``kind``: the unfinished one resumed (patients booked since
    added), else a new one; returns its id. Coverages checked for the date today are answered."""
    if kind not in RUN_KINDS:
        raise RecordError(f"eligibility run kind {kind!r}: scheduled or plan-year")
    open_run = uow.eligibility_runs.unfinished(for_date, kind)
    run_id = open_run.id if open_run is not None else None
    if run_id is None:
        run_id = uow.eligibility_runs.start(for_date, kind, by_user=uow.actor_id)
        uow.audit.record(uow.actor_id, "eligibility-run.start", "eligibility_run", run_id, None,
                         {"for_date": for_date.isoformat(), "kind": kind})  # fmt: skip
    chosen = _chosen(uow, for_date, kind)
    checked = uow.eligibility_runs.checked_today([c.coverage_id for c in chosen], for_date, today)
    items = [
        NewRunItem(c.coverage_id, c.patient_id, c.date_of_service, c.appointment_id, "answered",
                   checked[c.coverage_id], ALREADY_CHECKED)
        if c.coverage_id in checked else c
        for c in chosen
    ]  # fmt: skip
    uow.eligibility_runs.add_items(run_id, items)
    uow.eligibility_runs.recount(run_id)
    return run_id


@dataclass(frozen=True, slots=True)
class _Outcome:
    item: RunItem
    answered: AnsweredCheck | None
    failure: str


class _Batch:
    """One run_batch call: the pending items, the pool, and the transactions (see module doc)."""

    def __init__(
        self,
        db: Database,
        clinic_id: int,
        actor_id: int,
        run: EligibilityRun,
        transport: RealTimeTransport,
        profiles: Mapping[str, PayerProfile],
        today: dt.date,
        options: BatchOptions,
    ) -> None:
        self.turns = Turns(db, clinic_id, actor_id)
        self.run = run
        self.transport = transport
        self.profiles = profiles
        self.today = today
        self.options = options

    def _prepare(self, uow: UnitOfWork, chunk: Sequence[RunItem]) -> list[PreparedCheck]:
        """Mark the chunk sent and write its 270s; answered already or not askable: ended."""
        runs = uow.eligibility_runs
        checked = runs.checked_today([i.coverage_id for i in chunk], self.run.for_date, self.today)
        ends: list[tuple[int, str, int | None, str]] = [
            (i.id, "answered", checked[i.coverage_id], ALREADY_CHECKED)
            for i in chunk
            if i.coverage_id in checked
        ]
        rest = [i for i in chunk if i.coverage_id not in checked]
        wanted = [
            Wanted(i.coverage_id, i.patient_id, i.date_of_service, i.trace, _control_number(i),
                   self.run.started_at)
            for i in rest
        ]  # fmt: skip
        made = prepare_checks(uow, wanted, profiles=self.profiles,
                              disciplines=self.options.disciplines)  # fmt: skip
        ready: list[PreparedCheck] = []
        sending: list[int] = []
        for item, one in zip(rest, made, strict=True):
            if isinstance(one, PreparedCheck):
                ready.append(one)
                sending.append(item.id)
            else:  # a gap in the records: nothing to send
                ends.append((item.id, "failed", None, f"not asked: {one}"))
        runs.end_items(ends)
        runs.mark_sent(sending)
        return ready

    def _ask(self, item: RunItem, prepared: PreparedCheck) -> list[_Outcome]:
        """On a pool thread: no database here."""
        _, answered, failure = _ask_one(self.transport, payload_id_of(self.run, item), prepared)
        return [_Outcome(item, answered, failure)]

    def _store_one(self, uow: UnitOfWork, outcome: _Outcome) -> None:
        runs = uow.eligibility_runs
        if outcome.answered is None:
            runs.end_item(outcome.item.id, "failed", None, outcome.failure)
            return
        result = store_check(uow, outcome.answered, today=self.today)
        runs.end_item(outcome.item.id, "answered", result.check_id, "")

    def _store(self, outcomes: Sequence[_Outcome]) -> EligibilityRun:
        """Keep a batch of answers in one transaction; when one cannot be kept, each in its own
        so only that item fails (its reason on the item)."""
        run_id = self.run.id

        def all_of(uow: UnitOfWork) -> EligibilityRun:
            answered = [o for o in outcomes if o.answered is not None]
            kept = store_checks(uow, [o.answered for o in answered if o.answered], today=self.today)
            ends: list[tuple[int, str, int | None, str]] = [
                (o.item.id, "answered", r.check_id, "") for o, r in zip(answered, kept, strict=True)
            ]
            ends += [(o.item.id, "failed", None, o.failure) for o in outcomes if o.answered is None]
            uow.eligibility_runs.end_items(ends)
            return uow.eligibility_runs.recount(run_id)

        try:
            return self.turns.run(all_of)
        except OtbillError:
            pass
        for outcome in outcomes:
            try:
                self.turns.run(partial(self._store_one, outcome=outcome))
            except OtbillError as exc:
                failed = _Outcome(outcome.item, None, f"the answer could not be kept: {exc}")
                self.turns.run(partial(self._store_one, outcome=failed))
        return self.turns.run(lambda uow: uow.eligibility_runs.recount(run_id))

    def _chunks(self, pending: Sequence[RunItem]) -> Iterator[Sequence[RunItem]]:
        size = self.options.batch
        for start in range(0, len(pending), size):
            yield pending[start : start + size]

    def _pool(self, stack: ExitStack) -> Executor:
        options = self.options
        if options.processes == 1:
            return stack.enter_context(
                ThreadPoolExecutor(options.concurrency, thread_name_prefix="otbill-270")
            )
        threads = options.concurrency // options.processes
        try:
            pickle.dumps(self.transport)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise RecordError(
                f"processes {options.processes}: this transport cannot be handed to worker "
                f"processes ({exc}); ask with one process"
            ) from exc
        return stack.enter_context(
            ProcessPoolExecutor(
                options.processes, initializer=_start_worker, initargs=(self.transport, threads)
            )
        )

    def _submit(
        self, pool: Executor, items: Sequence[RunItem], prepared: Sequence[PreparedCheck]
    ) -> list[tuple[Future[list[_Outcome]] | Future[list[_Answer]], list[RunItem]]]:
        """Hand the prepared checks to the pool: one a task on threads, a group of a worker
        process's threads' worth on processes."""
        by_trace = {i.trace: i for i in items}
        pairs = [(by_trace[p.inquiry.trace], p) for p in prepared]
        if self.options.processes == 1:
            return [(pool.submit(self._ask, item, one), [item]) for item, one in pairs]
        size = self.options.concurrency // self.options.processes
        groups = [pairs[n : n + size] for n in range(0, len(pairs), size)]
        return [
            (
                pool.submit(_ask_group, [(payload_id_of(self.run, i), p) for i, p in group]),
                [i for i, _ in group],
            )
            for group in groups
        ]

    def go(self, pending: Sequence[RunItem], progress: Progress) -> None:
        options = self.options
        window = options.concurrency + options.batch  # 270s prepared ahead of the pool
        chunks = self._chunks(pending)
        flying: dict[Future[Any], list[RunItem]] = {}
        ready: list[_Outcome] = []
        last_store = time.monotonic()
        more = True
        with ExitStack() as stack:
            pool = self._pool(stack)
            while more or flying or ready:
                while more and sum(len(v) for v in flying.values()) < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        more = False
                        break
                    prepared = self.turns.run(partial(self._prepare, chunk=chunk))
                    flying.update(self._submit(pool, chunk, prepared))
                if flying:
                    done, _ = wait(set(flying), timeout=0.25, return_when=FIRST_COMPLETED)
                    for future in done:
                        ready.extend(_outcomes(future.result(), flying.pop(future)))
                quiet = time.monotonic() - last_store > 0.5
                if ready and (len(ready) >= options.batch or not flying or quiet):
                    self.run = self._store(ready)
                    ready = []
                    last_store = time.monotonic()
                    progress(self.run.done, self.run.total)


_Answer = tuple[str, AnsweredCheck | None, str]  # (payload id, the answer or None, the failure)


def _ask_one(transport: RealTimeTransport, payload_id: str, prepared: PreparedCheck) -> _Answer:
    try:
        return payload_id, exchange_check(prepared, transport, payload_id=payload_id), ""
    except OtbillError as exc:
        return payload_id, None, str(exc)


def _outcomes(results: list[Any], items: list[RunItem]) -> list[_Outcome]:
    if results and isinstance(results[0], _Outcome):
        return results
    return [_Outcome(item, answered, failure)
            for item, (_, answered, failure) in zip(items, results, strict=True)]  # fmt: skip


_WORKER: dict[str, Any] = {}  # in a worker process: its transport and its threads


def _start_worker(transport: RealTimeTransport, threads: int) -> None:
    _WORKER["transport"] = transport
    _WORKER["threads"] = ThreadPoolExecutor(threads, thread_name_prefix="otbill-270")


def _ask_group(group: list[tuple[str, PreparedCheck]]) -> list[_Answer]:
    """In a worker process: ask a group at once on its threads (no database here)."""
    transport, threads = _WORKER["transport"], _WORKER["threads"]
    futures = [threads.submit(_ask_one, transport, pid, prepared) for pid, prepared in group]
    return [f.result() for f in futures]


def run_batch(
    db: Database,
    clinic_id: int,
    actor_id: int,
    run_id: int,
    *,
    transport: RealTimeTransport,
    profiles: Mapping[str, PayerProfile],
    today: dt.date,
    options: BatchOptions | None = None,
    progress: Progress | None = None,
) -> EligibilityRun:
    """Ask the payer for every item of the run not answered yet; the run, finished, with its
    counts. ``progress(done, total)`` is called as answers are kept."""
    options = options or BatchOptions()
    tell = progress or (lambda _done, _total: None)
    turns = Turns(db, clinic_id, actor_id)
    run = turns.run(lambda uow: uow.eligibility_runs.recount(run_id))
    tell(run.done, run.total)
    batch = _Batch(db, clinic_id, actor_id, run, transport, profiles, today, options)
    while True:  # again when items were added meanwhile (the same date started again)
        pending = turns.run(lambda uow: uow.eligibility_runs.items(run_id, ("waiting", "sent")))
        if not pending:
            break
        batch.go(pending, tell)

    def finish(uow: UnitOfWork) -> EligibilityRun:
        ended = uow.eligibility_runs.recount(run_id, finished=True)
        uow.audit.record(uow.actor_id, "eligibility-run.finish", "eligibility_run", run_id, None,
                         {"total": ended.total, "active": ended.active,
                          "inactive": ended.inactive, "not_verified": ended.not_verified,
                          "failed": ended.failed})  # fmt: skip
        return ended

    run = turns.run(finish)
    tell(run.done, run.total)
    return run


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One line of a run's results page, in plain words."""

    item_id: int
    time: str  # the appointment's start (HH:MM), or ""
    patient: str
    patient_id: int
    payer: str
    result: str  # active / inactive / not verified / no answer, with the payer's words
    copay: str
    visits_left: str
    problems: str
    flagged: bool  # inactive, not verified or no answer: the front desk should look


def _money(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return f"${amount:,.2f}".replace(".00", "")


def _figures(summary: Mapping[str, object]) -> tuple[str, str]:
    copay = summary.get("copay")
    said = ""
    if isinstance(copay, Mapping):
        inside, outside = copay.get("in_network"), copay.get("out_of_network")
        parts = [f"{_money(inside)} in network" if inside is not None else "",
                 f"{_money(outside)} out of network" if outside is not None else ""]  # fmt: skip
        said = ", ".join(p for p in parts if p)
    left, limit = summary.get("visits_remaining"), summary.get("visit_limit")
    visits = ""
    if isinstance(left, int) and not isinstance(left, bool):
        visits = f"{left} of {limit}" if isinstance(limit, int) else str(left)
        if left <= 0:
            visits = "none left" + (f" of {limit}" if isinstance(limit, int) else "")
    return said, visits


def _problems(summary: Mapping[str, object]) -> str:
    found = summary.get("problems")
    if not isinstance(found, list):
        return ""
    words = []
    for one in found:
        if isinstance(one, list) and len(one) == 2:
            words.append(f"{one[0]} - fix: {one[1]}")
    return "; ".join(words)


def _row(result: RunResult) -> ResultRow:
    item = result.item
    minute = result.start_minute
    time_of = f"{minute // 60:02d}:{minute % 60:02d}" if minute is not None else ""
    summary = result.benefits.get("summary")
    summary = summary if isinstance(summary, Mapping) else {}
    copay, visits = _figures(summary) if result.active else ("", "")
    if item.state == "failed":
        words, flagged = f"No answer: {item.message}", True
    elif item.state != "answered":
        words, flagged = "Waiting to be asked", False
    elif result.active is True:
        plan = summary.get("plan_name")
        words, flagged = "Active" + (f" ({plan})" if plan else ""), False
    elif result.active is False:
        words, flagged = f"Inactive: {result.status}", True
    else:
        words, flagged = f"Not verified: {result.status.removeprefix('not verified: ')}", True
    if item.message == ALREADY_CHECKED:
        words += " (checked earlier today)"
    return ResultRow(item.id, time_of, result.patient_name, item.patient_id, result.payer_name,
                     words, copay, visits, _problems(summary), flagged)  # fmt: skip


def result_rows(uow: UnitOfWork, run_id: int) -> list[ResultRow]:
    """The run's results for its page: inactive, not verified and unanswered first (flagged),
    then the rest; each group by appointment time, then patient."""
    rows = [_row(r) for r in uow.eligibility_runs.results(run_id)]
    return sorted(rows, key=lambda r: (not r.flagged, r.time or "99:99", r.patient))
