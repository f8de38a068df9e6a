"""Posting one remittance (one ST…SE of an 835) in steps that each fit a short transaction.

:mod:`otbill.services.remittances.post` drives the file; this module is one remittance's steps:
:meth:`RemittancePosting.open` (the remittance record), :meth:`RemittancePosting.post_claims` (a
few claim payments) and :meth:`RemittancePosting.queue_provider_adjustments` (PLB). Each step
takes the unit of work it runs in and returns what it did as a :class:`PostingReport`, merged
into the file's report only once its transaction committed. Every step may run again: what was
posted or queued under a claim payment's source key is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import ClassVar

from otbill.domain.claim_records import StoredClaim
from otbill.domain.coordination import crossover_reason
from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import to_cents
from otbill.domain.remittance import ClaimPayment, Remittance
from otbill.services.claims import coordination
from otbill.services.claims import lifecycle as claims
from otbill.services.denials.open import denial_of, open_denial
from otbill.services.exchange.files import add_work_item, remittance_id, source_seen
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.services.remittances.claim_batch import ClaimBatch
from otbill.services.remittances.plan import (
    DeniedAmount,
    LineRef,
    denied_amounts,
    outcome,
    plan_claim,
)
from otbill.services.remittances.provider_adjustments import queue_provider_adjustment
from otbill.services.remittances.report import PostingReport
from otbill.storage import UnitOfWork

__all__ = ["KeyedPayment", "PlannedStep", "RemittancePosting"]

_CENT = Decimal("0.01")
_OPEN = {ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.APPEALED}
_ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}

#: A claim payment with its source key prefix.
KeyedPayment = tuple[str, ClaimPayment]


def _key(*parts: str) -> str:
    key = ":".join(parts)
    if len(key) <= 180:
        return key
    return "835:" + hashlib.sha256(key.encode()).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A step planned by :meth:`RemittancePosting.plan_claims`, to be written by
    :meth:`RemittancePosting.write_claims` in the same unit of work (perhaps on another thread:
    everything the writing needs is here, none of it on the :class:`RemittancePosting`)."""

    uow: UnitOfWork
    report: PostingReport
    batch: ClaimBatch
    handoffs: list[tuple[int, ClaimPayment]]
    holds_events: bool  # the step opened the audit batch (else an outer one writes them)


@dataclass
class RemittancePosting:
    """One remittance of the file, posted step by step (see the module docstring)."""

    remittance: Remittance
    sha: str
    today: dt.date
    file: str
    remittance_id: int = 0
    reversed_here: set[int] = field(default_factory=set)
    uow: UnitOfWork = field(init=False)
    report: PostingReport = field(init=False)
    batch: ClaimBatch = field(init=False)
    handoffs: list[tuple[int, ClaimPayment]] = field(init=False)
    chained: bool = field(init=False)  # a claim in a chain of payers was handed on this step
    #: False: every claim payment posted claim by claim, each denial opened (and its prevention
    #: checks proposed) at once: the path the batches must agree with (tests compare them)
    in_batches: ClassVar[bool] = True

    @property
    def on(self) -> dt.date:
        return self.remittance.header.payment_date or self.today

    def _begin(self, uow: UnitOfWork) -> PostingReport:
        self.uow, self.report = uow, PostingReport(self.file)
        return self.report

    def keyed_payments(self) -> list[KeyedPayment]:
        """Each claim payment with its source key (n: its occurrence under the same CLP01)."""
        header = self.remittance.header
        seen: Counter[str] = Counter()
        out = []
        for payment in self.remittance.claims:
            seen[payment.patient_control_number] += 1
            n = seen[payment.patient_control_number]
            number = f"{payment.patient_control_number}#{n}"
            out.append((_key("835", header.payer_id, header.trace_number, number), payment))
        return out

    def open(self, uow: UnitOfWork) -> PostingReport:
        """The remittance record (made once per payer and trace number)."""
        report = self._begin(uow)
        report.remittances += 1
        self.remittance_id = remittance_id(uow, self.remittance.header, self.on, self.sha)
        return report

    def post_claims(
        self, uow: UnitOfWork, payments: Sequence[KeyedPayment], seconds: float | None = None
    ) -> PostingReport:
        """Post these claim payments, or the first of them that fit in ``seconds`` (at least one;
        ``report.claims`` says how many); one posted before (any run) is reported, not posted.

        Their records are read and their postings written a batch at a time
        (:class:`ClaimBatch`); a claim in a chain of payers, or one we do not have, is handled
        claim by claim. The ledger invariants are checked once per claim, at the batch's end."""
        step = self.plan_claims(uow, payments, seconds)
        try:
            return self.write_claims(step)
        except BaseException:
            if step.holds_events:  # a caller that goes on in this unit of work records anew
                uow.audit.drop_batch()
            raise

    def plan_claims(
        self,
        uow: UnitOfWork,
        payments: Sequence[KeyedPayment],
        seconds: float | None = None,
        *,
        before_writing: Callable[[], None] = lambda: None,
        after_each: Callable[[], None] = lambda: None,
    ) -> PlannedStep:
        """The first half of :meth:`post_claims`: the payments' records read and their postings,
        status moves, denials and work items planned, nothing written and no row locked (the
        audit events are held, chained when written: ``AuditLog.open_batch``). A payment that
        must be posted claim by claim (a chain of payers) reads and writes at once: before it,
        ``before_writing()`` is called (while a step is being written on another connection,
        it waits for that step to commit). ``after_each()`` is called after each payment."""
        report = self._begin(uow)
        self.batch = ClaimBatch.load(uow, payments, self.remittance_id)
        self.handoffs, self.chained = [], False
        holds_events = uow.audit.open_batch()
        try:
            self._plan_payments(uow, payments, seconds, before_writing, after_each)
            self.batch.number_postings(self.on)
        except BaseException:
            if holds_events:
                uow.audit.drop_batch()
            raise
        return PlannedStep(uow, report, self.batch, self.handoffs, holds_events)

    def _plan_payments(
        self,
        uow: UnitOfWork,
        payments: Sequence[KeyedPayment],
        seconds: float | None,
        before_writing: Callable[[], None],
        after_each: Callable[[], None],
    ) -> None:
        report = self.report
        until = time.monotonic() + seconds if seconds is not None else None
        for prefix, payment in payments:
            if until is not None and report.claims and time.monotonic() > until:
                break  # the rest in the next transaction: another writer gets its turn
            report.claims += 1
            claim, seen = None, None
            if self.in_batches:
                claim = self.batch.claim(payment.patient_control_number)
                seen = self.batch.seen(prefix, payment.patient_control_number)
            if seen is None or (claim is None and self.batch.has(payment.patient_control_number)):
                before_writing()  # claim by claim: it reads what another step may be writing
            if seen if seen is not None else source_seen(uow, prefix):
                report.add(payment.patient_control_number, "already_posted", payment.paid)
                if payment.status == "22":  # resuming: its correction follows this reversal
                    found = uow.claims.by_number(payment.patient_control_number)
                    self.reversed_here.update([found.id] if found else [])
            else:
                self._claim(prefix, payment, claim)
            after_each()

    def write_claims(self, step: PlannedStep) -> PostingReport:
        """The second half of :meth:`post_claims`: the planned step written in its unit of work
        (the batch's rows, the hand-offs to the next payers, the held audit events)."""
        step.batch.finish(self.on)
        for claim_id, payment in step.handoffs:  # after the batch's postings are written
            coordination.after_adjudication(
                step.uow, claim_id, payment, self.remittance_id, self.on
            )
        if step.holds_events:
            step.uow.audit.write_batch()
        return step.report

    def queue_provider_adjustments(self, uow: UnitOfWork) -> PostingReport:
        """PLB provider adjustments go to the work queue with their amounts, to be posted to the
        ledger when the biller has checked them (:mod:`.provider_adjustments`)."""
        report = self._begin(uow)
        header = self.remittance.header
        for n, plb in enumerate(self.remittance.provider_adjustments, start=1):
            prefix = _key("835", header.payer_id, header.trace_number, f"PLB{n}")
            new = queue_provider_adjustment(uow, f"{prefix}:queue", plb, self.remittance_id)
            report.work_items += int(new)
        return report

    def _queue(
        self,
        prefix: str,
        reference: str,
        claim: StoredClaim | None,
        reason: str,
        payment: ClaimPayment | None = None,
    ) -> None:
        queue = self.batch.queue if self.in_batches else partial(add_work_item, self.uow)
        new = queue(
            f"{prefix}:queue",
            kind="835",
            reference=reference,
            reason=reason,
            payer_claim_number=payment.payer_claim_number if payment else None,
            claim_id=claim.id if claim else None,
            remittance_id=self.remittance_id,
            paid_cents=to_cents(payment.paid.quantize(_CENT)) if payment else 0,
            charge_cents=to_cents(payment.charge.quantize(_CENT)) if payment else 0,
        )
        self.report.work_items += int(new)

    def _claim(self, prefix: str, payment: ClaimPayment, batched: StoredClaim | None) -> None:
        """Post one claim payment: to ``batched`` (a claim of the batch, routed to itself), else
        to the claim it routes to, found claim by claim."""
        number = payment.patient_control_number
        if batched is not None:
            claim: StoredClaim | None = self.batch.current(batched)  # as this batch left it
        elif self.in_batches and not self.chained and not self.batch.has(number):
            claim = None  # the batch read every number it pays; no claim was made since
        else:
            claim = self.uow.claims.by_number(number)
        if claim is None:
            self._queue(prefix, number, None, f"no claim numbered {number!r}", payment)
            self.report.add(number, "unmatched", payment.paid, "no such claim")
            return
        if batched is None:
            claim = coordination.payment_target(self.uow, claim, self.remittance.header.payer_id)
        if payment.status == "22":
            self._reverse(prefix, claim, payment, batched is not None)
            return
        status = ClaimStatus(claim.status)
        again = status in _ADJUDICATED and claim.id in self.reversed_here
        if status not in _OPEN and not again:
            reason = f"claim is {claim.status}; a payment is not expected in that state"
            self._queue(prefix, number, claim, reason, payment)
            self.report.add(number, "unmatched", payment.paid, reason)
            return
        self._adjudicate(prefix, claim, payment, again, batched is not None)

    def _adjudicate(
        self, prefix: str, claim: StoredClaim, payment: ClaimPayment, again: bool, batched: bool
    ) -> None:
        lines = self.batch.lines.get(claim.id, []) if batched else self.uow.claims.lines(claim.id)
        refs = [
            LineRef(
                x.position,
                x.code,
                tuple(m for m in x.modifiers.split(",") if m),
                x.date,
                Decimal(x.charge_cents) / 100,
            )
            for x in lines
        ]
        planned = plan_claim(prefix, payment, refs) if refs else []
        if not batched:  # a claim of the batch follows no other claim: nothing to drop
            planned = coordination.drop_prior_payers_part(self.uow, claim.id, planned)
        bad = [p for p in planned if p.amount < 0 or p.amount != p.amount.quantize(_CENT)]
        if not refs or bad:
            why = "claim has no lines" if not refs else f"amount {bad[0].amount} cannot post as is"
            self._queue(prefix, claim.number, claim, why + ": post by hand", payment)
            self.report.add(claim.number, "unmatched", payment.paid, why)
            return
        ids = {x.position: x.id for x in lines}
        for p in planned:
            entry = LedgerEntry(
                p.key,
                p.kind,
                ids[p.position],
                p.amount,
                True,
                p.group,
                p.carc,
                p.rarc and p.rarc[:8],
                self.remittance_id,
            )
            made = self.batch.post(claim, entry) if batched else post(self.uow, entry, self.on)[1]
            self.report.postings += int(made)
            if p.kind is Kind.PAYMENT:
                self.report.payments_total += p.amount
        self._payer_claim_number(claim, payment, batched)
        denied = denied_amounts(payment, refs)
        result = ClaimStatus(outcome(payment, denied))
        self._move(prefix, claim, payment, result, again, batched)
        if result is not ClaimStatus.PAID:
            profile = (
                self.batch.profiles[claim.payer_id]
                if batched
                else self.uow.payers.get(claim.payer_id).profile
            )
            self.report.denials_opened += int(self._deny(claim, payment, denied, ids, profile))
        if not again:  # the next payer's claim, or the wait on a crossover
            self._hand_off(claim, payment, batched)
        self.report.matched += 1
        self.report.add(claim.number, result.value, payment.paid, payment.status_text)

    def _deny(
        self,
        claim: StoredClaim,
        payment: ClaimPayment,
        denied: list[DeniedAmount],
        line_ids: dict[int, int],
        profile: str,
    ) -> bool:
        """Open a denial on the claim: at the batch's end, or at once claim by claim."""
        denial, after = denial_of(claim.id, payment, denied, line_ids,
                                  remittance_id=self.remittance_id, decided_on=self.on,
                                  profile=profile)  # fmt: skip
        if not self.in_batches:
            return open_denial(self.uow, denial, after)
        return self.batch.deny(claim, denial, after)

    def _move(
        self,
        prefix: str,
        claim: StoredClaim,
        payment: ClaimPayment,
        target: ClaimStatus,
        again: bool,
        batched: bool,
    ) -> None:
        reason = f"835 {self.remittance.header.trace_number}: {payment.status_text}"
        if again:
            if claim.status != target.value:
                self._queue(
                    prefix,
                    claim.number,
                    claim,
                    f"re-adjudicated after a reversal as "
                    f"{target.value}; status left {claim.status}: review",
                    payment,
                )
            return
        move = (
            partial(self.batch.move, claim)
            if batched
            else partial(claims.transition, self.uow, claim.id)
        )
        if claim.status == ClaimStatus.SUBMITTED:
            move(ClaimStatus.ACCEPTED, "adjudicated (835)")
        move(target, reason)

    def _payer_claim_number(self, claim: StoredClaim, payment: ClaimPayment, batched: bool) -> None:
        number = payment.payer_claim_number.strip()[:50]
        if not number or number == claim.payer_claim_number:
            return
        if batched:  # told in the claim's one event (ClaimBatch._record_claims)
            self.batch.set_payer_claim_number(claim, number)
            return
        before = {"payer_claim_number": claim.payer_claim_number}
        self.uow.claims.change(claim.id, payer_claim_number=number)
        self.uow.audit.record(
            self.uow.actor_id,
            "claim.payer_claim_number",
            "claim",
            claim.id,
            before,
            {"payer_claim_number": number},
        )

    def _hand_off(self, claim: StoredClaim, payment: ClaimPayment, batched: bool) -> None:
        """The next payer's claim, or the wait on a crossover: at once claim by claim; for a
        claim of the batch, once its postings are written, and only when it may have one (a
        crossover remark, or a patient with a later coverage; otherwise there is nothing to do)."""
        if not batched:
            self.chained = True  # it may have made the next payer's claim
            coordination.after_adjudication(
                self.uow, claim.id, payment, self.remittance_id, self.on
            )
            return
        remarks = [*payment.remarks, *(r for svc in payment.services for r in svc.remarks)]
        if crossover_reason(payment.status, remarks) or self.batch.may_follow(claim):
            self.handoffs.append((claim.id, payment))

    def _reverse(
        self, prefix: str, claim: StoredClaim, payment: ClaimPayment, batched: bool
    ) -> None:
        if batched:
            earlier = self.batch.unreversed_835(claim.id, self.remittance_id)
        else:
            earlier = self.uow.ledger.unreversed_835(claim.id, self.remittance_id)
        for p in earlier:
            key = f"{prefix}:rev{p.id}"
            if batched:
                made = self.batch.reverse(p, key, self.remittance_id)
            else:
                made = reverse(self.uow, p.id, key, self.on, remittance_id=self.remittance_id)[1]
            self.report.postings += int(made)
            if p.kind is Kind.PAYMENT:
                self.report.payments_total -= p.amount
        self.reversed_here.add(claim.id)
        why = (
            "payer reversed its payment (CLP02 22)"
            if earlier
            else "reversal of a payment otbill never posted"
        )
        self._queue(prefix, claim.number, claim, f"{why}; status left {claim.status}", payment)
        self.report.add(claim.number, "reversed", payment.paid, why)
