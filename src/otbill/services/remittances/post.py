"""Posting an 835: match each claim payment to our claim and post it, in one transaction per file.

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
usually follows posts normally. PLB provider adjustments are queued (the ledger is per claim line).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.domain.claim_records import StoredClaim
from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import to_cents
from otbill.domain.remittance import ClaimPayment, Remittance
from otbill.services.claims import lifecycle as claims
from otbill.services.denials.open import open_denial
from otbill.services.exchange.files import (
    add_work_item,
    file_digest,
    find_file,
    record_file,
    remittance_id,
    source_seen,
)
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.services.remittances.payee import PayeeRefused, check_payee
from otbill.services.remittances.plan import LineRef, denied_amounts, outcome, plan_claim
from otbill.services.remittances.report import PostingReport, RemittanceRefused
from otbill.storage import Database, UnitOfWork
from otbill.x12.read_835 import read_835

__all__ = [
    "PayeeRefused",
    "PostingReport",
    "RemittanceRefused",
    "post_remittance",
    "post_remittance_in",
]

_CENT = Decimal("0.01")
_OPEN = {ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.APPEALED}
_ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}


def post_remittance(
    db: Database,
    clinic_id: int,
    actor_id: int,
    source: Path | bytes,
    *,
    name: str | None = None,
    today: dt.date | None = None,
    any_payee: bool = False,
) -> PostingReport:
    """Post an 835 file (a path or its bytes) for one clinic, in one transaction.

    ``any_payee`` posts a file addressed to another payee (test corpora only)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    label = name or (source.name if isinstance(source, Path) else "835")
    with db.unit_of_work(clinic_id, actor_id) as uow:
        return post_remittance_in(uow, data, label, today or dt.date.today(), any_payee=any_payee)


def post_remittance_in(
    uow: UnitOfWork, data: bytes, name: str, today: dt.date, *, any_payee: bool = False
) -> PostingReport:
    """:func:`post_remittance` inside the caller's unit of work."""
    report = PostingReport(name)
    sha = file_digest(data)
    if find_file(uow, "in", sha) is not None:
        report.already_posted = True
        return report
    read = read_835(data)  # X12Error: not readable at all
    errors = [f for f in read.findings if f.severity == "error"]
    if errors or not read.remittances:
        raise RemittanceRefused(name, errors)
    if not any_payee:
        check_payee(uow, name, (r.header for r in read.remittances))
    for remittance in read.remittances:
        _Posting(uow, report, remittance, sha, today).run()
    record_file(uow, direction="in", kind="835", name=name, sha256=sha, summary=report.counts())
    return report


def _key(*parts: str) -> str:
    key = ":".join(parts)
    if len(key) <= 180:
        return key
    return "835:" + hashlib.sha256(key.encode()).hexdigest()[:40]


@dataclass
class _Posting:
    """Posting one remittance (one ST…SE) of the file."""

    uow: UnitOfWork
    report: PostingReport
    remittance: Remittance
    sha: str
    today: dt.date
    remittance_id: int = field(init=False)
    reversed_here: set[int] = field(default_factory=set)

    @property
    def on(self) -> dt.date:
        return self.remittance.header.payment_date or self.today

    def run(self) -> None:
        header = self.remittance.header
        self.report.remittances += 1
        self.remittance_id = remittance_id(self.uow, self.remittance.header, self.on, self.sha)
        seen: Counter[str] = Counter()
        for payment in self.remittance.claims:
            seen[payment.patient_control_number] += 1
            n = seen[payment.patient_control_number]
            prefix = _key(
                "835", header.payer_id, header.trace_number, f"{payment.patient_control_number}#{n}"
            )
            self.report.claims += 1
            if source_seen(self.uow, prefix):
                self.report.add(payment.patient_control_number, "already_posted", payment.paid)
            else:
                self._claim(prefix, payment)
        for n, plb in enumerate(self.remittance.provider_adjustments, start=1):
            prefix = _key("835", header.payer_id, header.trace_number, f"PLB{n}")
            self._queue(
                prefix,
                f"PLB {plb.reason} {plb.reference}".strip(),
                None,
                f"provider-level adjustment {plb.reason} of {plb.amount}: post by hand",
            )

    def _queue(
        self,
        prefix: str,
        reference: str,
        claim: StoredClaim | None,
        reason: str,
        payment: ClaimPayment | None = None,
    ) -> None:
        new = add_work_item(
            self.uow,
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

    def _claim(self, prefix: str, payment: ClaimPayment) -> None:
        number = payment.patient_control_number
        claim = self.uow.claims.by_number(number)
        if claim is None:
            self._queue(prefix, number, None, f"no claim numbered {number!r}", payment)
            self.report.add(number, "unmatched", payment.paid, "no such claim")
            return
        if payment.status == "22":
            self._reverse(prefix, claim, payment)
            return
        status = ClaimStatus(claim.status)
        again = status in _ADJUDICATED and claim.id in self.reversed_here
        if status not in _OPEN and not again:
            reason = f"claim is {claim.status}; a payment is not expected in that state"
            self._queue(prefix, number, claim, reason, payment)
            self.report.add(number, "unmatched", payment.paid, reason)
            return
        self._adjudicate(prefix, claim, payment, again)

    def _adjudicate(
        self, prefix: str, claim: StoredClaim, payment: ClaimPayment, again: bool
    ) -> None:
        lines = self.uow.claims.lines(claim.id)
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
            self.report.postings += int(post(self.uow, entry, self.on)[1])
            if p.kind is Kind.PAYMENT:
                self.report.payments_total += p.amount
        self._payer_claim_number(claim, payment)
        denied = denied_amounts(payment, refs)
        result = ClaimStatus(outcome(payment, denied))
        self._move(prefix, claim, payment, result, again)
        if result is not ClaimStatus.PAID:
            payer = self.uow.payers.get(claim.payer_id)
            self.report.denials_opened += int(
                open_denial(
                    self.uow,
                    claim.id,
                    payment,
                    denied,
                    ids,
                    remittance_id=self.remittance_id,
                    decided_on=self.on,
                    profile=payer.profile,
                )
            )
        self.report.matched += 1
        self.report.add(claim.number, result.value, payment.paid, payment.status_text)

    def _move(
        self,
        prefix: str,
        claim: StoredClaim,
        payment: ClaimPayment,
        target: ClaimStatus,
        again: bool,
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
        if claim.status == ClaimStatus.SUBMITTED:
            claims.transition(self.uow, claim.id, ClaimStatus.ACCEPTED, "adjudicated (835)")
        claims.transition(self.uow, claim.id, target, reason)

    def _payer_claim_number(self, claim: StoredClaim, payment: ClaimPayment) -> None:
        number = payment.payer_claim_number.strip()[:50]
        if number and number != claim.payer_claim_number:
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

    def _reverse(self, prefix: str, claim: StoredClaim, payment: ClaimPayment) -> None:
        earlier = self.uow.ledger.unreversed_835(claim.id, self.remittance_id)
        for p in earlier:
            self.report.postings += int(reverse(self.uow, p.id, f"{prefix}:rev{p.id}", self.on)[1])
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
