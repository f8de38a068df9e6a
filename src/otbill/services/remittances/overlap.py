"""An 835's claim payments posted with each step written while the next is planned (PostgreSQL).

Why: a step is part this process's work (reading its claims, planning their postings) and part
the database's (writing them, keeping the derived tables); one after the other they add up. Here
a step is written and committed on a thread of its own, in the step's own unit of work (its own
connection), while the main thread plans the next step in another: the database works while
Python plans (psycopg lets go of the interpreter while it waits on the server).

What keeps it safe:

- Planning reads and plans only (:meth:`RemittancePosting.plan_claims`): no row is written or
  locked, the audit events are held and chained when written. So the step being written never
  waits on the one being planned.
- Steps are written one at a time, in the file's order: a step is handed to the writer only once
  the step before it committed.
- A step never reads what the step being written changes: it is planned after that step
  committed when the two pay a claim number in common (a reversal and its correction) or when
  that step hands claims on to the next payer (it may make claims, or cross them over, that this
  step pays), and it waits for that commit before a payment it must post claim by claim (a chain
  of payers: that path reads and writes at once).
- A step whose writing found the database busy, or lost a race to another run of the same file,
  is run again alone with :class:`Turns` (retries and all), as the file's steps always were; a
  step whose planning failed that way too. Any other failure rolls its step back and stops the
  file, after the step being written has ended.

Each step is still one transaction: a run stopped half-way keeps whole steps only, and posting
the file again finishes it (nothing posts twice; :mod:`otbill.services.remittances.post`).
"""

from __future__ import annotations

import contextvars
import dataclasses
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from otbill.domain.record_errors import ConstraintViolation
from otbill.services.remittances.remittance_posting import (
    KeyedPayment,
    PlannedStep,
    RemittancePosting,
)
from otbill.services.remittances.report import PostingReport
from otbill.services.remittances.turns import Turns
from otbill.storage.busy import DatabaseBusy

__all__ = ["OverlappedSteps"]

#: Claim payments in the first step at most: nothing is written while it is planned, so the
#: sooner it is handed to the writer, the sooner both threads work.
FIRST_STEP = 250

#: Failures after which a step is run again alone (as :class:`Turns` runs it again).
_RUN_AGAIN = (DatabaseBusy, ConstraintViolation)


@dataclass
class _Writing:
    """The step on the writer's thread: its payments (to run it again) and claim numbers."""

    future: Future[PostingReport]
    payments: Sequence[KeyedPayment]
    numbers: frozenset[str]
    hands_on: bool  # it may make the next payer's claims, or cross claims over


def _let_in() -> None:
    """Let the writer's thread run now if it is waiting to (a result came back from the server):
    the interpreter would make it wait until this thread had run 5 ms, and the writer's every
    statement would then wait too. The writer's thread is the one the file waits on."""
    time.sleep(0)


class OverlappedSteps:
    """Post one remittance's keyed claim payments in steps of at most ``per_step`` payments (or
    ``seconds`` of planning), each written while the next is planned; ``done(report)`` is told
    of each step once it committed, in order."""

    def __init__(
        self,
        turns: Turns,
        posting: RemittancePosting,
        per_step: int,
        seconds: float,
        done: Callable[[PostingReport], None],
    ) -> None:
        self._turns, self._posting, self._done = turns, posting, done
        self._per_step, self._seconds = per_step, seconds
        self._writing: _Writing | None = None

    def run(self, keyed: Sequence[KeyedPayment]) -> None:
        with ThreadPoolExecutor(1, thread_name_prefix="otbill-835-writer") as writer:
            try:
                start = 0
                while start < len(keyed):
                    size = self._per_step if start else min(self._per_step, FIRST_STEP)
                    start += self._step(writer, keyed[start : start + size])
            finally:
                self._settle()

    def _step(self, writer: ThreadPoolExecutor, chunk: Sequence[KeyedPayment]) -> int:
        """Plan the first payments of ``chunk`` and hand them to the writer; how many."""
        numbers = frozenset(p.patient_control_number for _, p in chunk)
        writing = self._writing
        if writing is not None and (writing.hands_on or numbers & writing.numbers):
            # a claim both pay, or claims it may make or cross over that this step may pay:
            # plan it as the step being written leaves them
            self._settle()
        turns = self._turns
        uow = turns.db.unit_of_work(turns.clinic_id, turns.actor_id).__enter__()
        try:
            step = self._posting.plan_claims(uow, chunk, self._seconds,
                                             before_writing=self._settle, after_each=_let_in)  # fmt: skip
        except _RUN_AGAIN as error:
            uow.__exit__(type(error), error, error.__traceback__)
            self._settle()
            report = turns.run(partial(self._alone().post_claims, payments=chunk,
                                       seconds=self._seconds))  # fmt: skip
            self._done(report)
            return report.claims
        except BaseException as error:
            uow.__exit__(type(error), error, error.__traceback__)
            raise
        planned = chunk[: step.report.claims]
        try:
            self._settle()
        except BaseException as error:
            uow.__exit__(type(error), error, error.__traceback__)
            raise
        # in the caller's context: its "as of" day (otbill.clock) holds on the writer's thread too
        future = writer.submit(contextvars.copy_context().run, self._write, step)
        numbers = frozenset(p.patient_control_number for _, p in planned)
        self._writing = _Writing(future, planned, numbers, bool(step.handoffs))
        return len(planned)

    def _write(self, step: PlannedStep) -> PostingReport:
        """The writer's thread: write the planned step and commit it (or roll it back)."""
        try:
            report = self._posting.write_claims(step)
        except BaseException as error:
            step.uow.__exit__(type(error), error, error.__traceback__)
            raise
        step.uow.__exit__(None, None, None)  # commits
        return report

    def _alone(self) -> RemittancePosting:
        """The remittance's posting for a step run alone: a step's state of its own, the
        remittance's (its id, the claims reversed so far) shared."""
        return dataclasses.replace(self._posting)

    def _settle(self) -> None:
        """Wait for the step being written to end; when it failed for a reason that allows it,
        run it again alone, with :class:`Turns`."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        try:
            report = writing.future.result()
        except _RUN_AGAIN:
            # all of them again, no time limit this time; on a posting of its own: this may run
            # while the next step is being planned (before a payment posted claim by claim)
            run = partial(self._alone().post_claims, payments=writing.payments)
            report = self._turns.run(run)
        self._done(report)
