"""A batch of an 835's claim payments, posted with a few queries instead of a few hundred each.

:class:`ClaimBatch` reads what the batch's claim payments need in one query per kind (their claims,
lines and earlier postings, the work items queued under their keys, which claims are in a chain
of payers, which patients have a later coverage: ``uow.remittance_batch``), keeps the postings
planned for them and the claims' status changes, and at :meth:`ClaimBatch.finish` writes them as
plain rows (:mod:`otbill.storage.repositories.claim_changes`, ``add_postings``) with their audit
rows, then compares the touched claims' lines' balances kept for the owner's reports with their
postings summed afresh in the database, still inside the transaction: a difference rolls the
whole batch back, as it rolled back one posting before. The denials the batch opens (whether the remittance opened one
on a claim is read for the batch's claims at once) and the work items it queues are written at
its end too, the denials' prevention checks proposed once per payer and CARC
(:func:`otbill.services.denials.open.open_denials`).

A payment is posted in the batch when its claim is found and routes to itself (not in a chain of
payers, never crossed over); every other payment takes the claim-by-claim path
(:mod:`otbill.services.remittances.remittance_posting`), which is what posted them all before.
The postings, keys and outcomes are the same either way, and so is what the audit trail says of
each posting: the batch records a claim's postings as one event on the claim
(:mod:`otbill.domain.audit_postings`), claim by claim each posting is its own event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.appeals import Denial
from otbill.domain.audit_postings import REMITTANCE_POSTINGS, remittance_postings
from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.ledger import Kind, Posting
from otbill.domain.lifecycle import ClaimStatus, check_transition
from otbill.domain.record_errors import LedgerInvariantBroken, RecordError
from otbill.domain.remittance import ClaimPayment
from otbill.services.denials.open import NewDenial, open_denials
from otbill.services.exchange.files import add_work_items, work_item
from otbill.services.ledger import LedgerEntry, _validate
from otbill.storage import UnitOfWork
from otbill.storage.repositories.claim_changes import PreparedClaimChanges, StatusChange
from otbill.storage.repositories.remittance_batch import REMITTANCE_KEY, NewPosting

__all__ = ["ClaimBatch"]

#: A claim payment with its source key prefix (as :mod:`.remittance_posting` keys them).
KeyedPayment = tuple[str, ClaimPayment]


@dataclass
class ClaimBatch:
    """The batch's records, read once, and the postings it will add (see the module docstring)."""

    uow: UnitOfWork
    claims: dict[str, StoredClaim]
    lines: dict[int, list[ClaimLine]]
    postings: dict[int, list[Posting]]
    queued: set[str]
    coordinated: set[int]
    later_coverage: set[int]  # patients with a secondary or tertiary coverage
    profiles: dict[int, str]  # payer id → payer profile (a clinic has a handful of payers)
    remittance_id: int
    denied: set[int]  # claims this remittance opened a denial on (read for the batch's claims)
    remittances: dict[int, int | None]  # posting id -> the remittance that posted it
    pending: list[NewPosting] = field(default_factory=list)
    denials: list[NewDenial] = field(default_factory=list)
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    reversed_ids: set[int] = field(default_factory=set)
    changes: dict[int, dict[str, Any]] = field(default_factory=dict)  # claim id -> new values
    history: list[StatusChange] = field(default_factory=list)
    rows: list[dict[str, Any]] | None = None  # the postings numbered (number_postings)
    chunks: list[str | None] | None = None  # and their COPY text
    written: list[Any] | None = None  # and as the derived tables' listeners read them
    prepared: PreparedClaimChanges | None = None  # the claims' changes, made ready
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)  # see _noted

    @classmethod
    def load(
        cls, uow: UnitOfWork, payments: Sequence[KeyedPayment], remittance_id: int
    ) -> ClaimBatch:
        reads = uow.remittance_batch
        claims = reads.claims_by_number({p.patient_control_number for _, p in payments})
        ids = [c.id for c in claims.values()]
        remittances: dict[int, int | None] = {}
        postings = reads.postings(ids, remittances)
        later = reads.with_later_coverage({c.patient_id for c in claims.values()})
        batch = cls(uow, claims, reads.lines(ids), postings,
                    reads.queued([f"{prefix}:queue" for prefix, _ in payments]),
                    reads.coordinated(ids), later,
                    {p.id: p.profile for p in uow.payers.all()}, remittance_id,
                    uow.denials.opened_for(ids, remittance_id), remittances)  # fmt: skip
        for made in postings.values():
            batch.keys.update(p.source_key for p in made)
            batch.reversed_ids.update(p.reverses for p in made if p.reverses is not None)
        return batch

    def claim(self, number: str) -> StoredClaim | None:
        """The claim numbered ``number`` when its payment posts in the batch, else None."""
        claim = self.claims.get(number)
        return claim if claim is not None and claim.id not in self.coordinated else None

    def has(self, number: str) -> bool:
        """Whether a claim numbered ``number`` was found when the batch was read."""
        return number in self.claims

    def seen(self, prefix: str, number: str) -> bool | None:
        """Whether anything was posted or queued under ``prefix:`` (any run); None when only
        the claim-by-claim lookup can tell (a claim in a chain of payers may have routed it)."""
        if f"{prefix}:queue" in self.queued:
            return True
        found = self.claims.get(number)
        if found is None:
            return False  # no such claim: nothing was ever posted under its key, only queued
        if found.id in self.coordinated:
            return None
        start = prefix + ":"
        return any(p.source_key.startswith(start) for p in self.postings.get(found.id, ()))

    def may_follow(self, claim: StoredClaim) -> bool:
        """Whether a later payer's claim may follow this one (its patient has a later coverage):
        then the hand-off is asked claim by claim."""
        return claim.patient_id in self.later_coverage

    def post(self, claim: StoredClaim, entry: LedgerEntry) -> bool:
        """Plan ``entry`` on the claim (as :func:`otbill.services.ledger.post` would post it);
        False when its key was posted before."""
        _validate(entry)
        if entry.source_key in self.keys:
            return False
        posting = Posting(0, entry.source_key, entry.kind, entry.amount, claim.id,
                          entry.claim_line_id, claim.patient_id, claim.payer_id,
                          entry.payer_side, entry.group_code, entry.carc)  # fmt: skip
        self._plan(posting, entry.rarc, entry.remittance_id)
        return True

    def current(self, claim: StoredClaim) -> StoredClaim:
        """``claim`` (as the batch read it) as the batch has changed it since: its status and
        payer claim number."""
        change = self.changes.get(claim.id)
        return dataclasses.replace(claim, **change) if change else claim

    def move(self, claim: StoredClaim, target: ClaimStatus, reason: str) -> None:
        """Move the claim to ``target`` (as :func:`otbill.services.claims.lifecycle.transition`
        would now: the same check); its row and history are written at the batch's end, and the
        move is told in the claim's one event (:meth:`_record_claims`)."""
        before = self.current(claim).status
        after = check_transition(f"claim {claim.number}", before, target).value
        self.changes.setdefault(claim.id, {})["status"] = after
        self.history.append((claim.id, before, after, reason))
        self._noted(claim.id).setdefault("moves", []).append((before, after, reason))

    def set_payer_claim_number(self, claim: StoredClaim, number: str) -> None:
        """The payer's number for the claim (``claim`` as the batch left it: :meth:`current`),
        written at the batch's end, and told in the claim's event."""
        self.changes.setdefault(claim.id, {})["payer_claim_number"] = number
        self._noted(claim.id)["payer_claim_number"] = (claim.payer_claim_number, number)

    def _noted(self, claim_id: int) -> dict[str, Any]:
        """What the claim's one event will say besides its postings (see :meth:`_record_claims`),
        the claims in the order first touched."""
        return self.notes.setdefault(claim_id, {})

    def deny(self, claim: StoredClaim, denial: Denial, after: dict[str, Any]) -> bool:
        """Open ``denial`` on the claim at the batch's end (as
        :func:`otbill.services.denials.open.open_denial` would now); False when this remittance
        opened one on the claim before."""
        if claim.id in self.denied:
            return False
        read = self.claims.get(claim.number)
        if (read is None or read.id != claim.id) and self.uow.denials.exists_for(
            claim.id, self.remittance_id
        ):  # a claim found claim by claim (a chain of payers): asked on its own
            return False
        self.denied.add(claim.id)
        self.denials.append((denial, after, claim.payer_id))
        return True

    def queue(self, source_key: str, **item: Any) -> bool:
        """Queue a work item at the batch's end (as
        :func:`otbill.services.exchange.files.add_work_item` would now); False when one was
        queued under ``source_key`` before."""
        if source_key in self.queued:
            return False
        self.queued.add(source_key)
        self.items.append((source_key, item))
        return True

    def unreversed_835(self, claim_id: int, remittance_id: int) -> list[Posting]:
        """What a payer's reversal undoes (``LedgerRepository.unreversed_835``: the claim's
        postings from other 835s, not reversals, not reversed), from the postings the batch
        read (a reversal is always on its original's claim), less what this batch reversed."""
        made = self.postings.get(claim_id, [])
        done = {p.reverses for p in made if p.reverses is not None} | self.reversed_ids
        return [
            p
            for p in made
            if p.source_key.startswith(REMITTANCE_KEY)
            and p.kind is not Kind.REVERSAL
            and self.remittances.get(p.id) not in (None, remittance_id)
            and p.id not in done
        ]

    def reverse(self, original: Posting, key: str, remittance_id: int) -> bool:
        """Plan the reversal of ``original`` (as :func:`otbill.services.ledger.reverse`)."""
        if key in self.keys:
            return False
        if original.kind is Kind.REVERSAL or original.id in self.reversed_ids:
            raise RecordError(f"posting {original.id}: already reversed, or a reversal")
        reversal = dataclasses.replace(original, id=0, source_key=key, kind=Kind.REVERSAL,
                                       group_code=None, carc=None, reverses=original.id)  # fmt: skip
        self.reversed_ids.add(original.id)
        self._plan(reversal, None, remittance_id)
        return True

    def _plan(self, posting: Posting, rarc: str | None, remittance_id: int | None) -> None:
        self._noted(posting.claim_id)
        self.pending.append((posting, rarc, remittance_id))
        self.keys.add(posting.source_key)

    def number_postings(self, on: dt.date) -> None:
        """The planned postings numbered (ids taken from the sequence, PostgreSQL only), made
        rows (with their COPY text and as the derived tables' listeners read them), the claims'
        changes made ready (:func:`.claim_changes.prepare_claim_changes`) and the claims' events
        recorded, as the planning's last act: the step's writing is
        then little more than sending them (on PostgreSQL it runs while the next step is planned,
        :mod:`otbill.services.remittances.overlap`). Elsewhere :meth:`finish` does it."""
        if not (self.pending or self.notes):
            return
        reads = self.uow.remittance_batch
        ids = reads.reserve_posting_ids(len(self.pending))
        if ids is None:
            return
        self.rows = reads.posting_rows(self.pending, on=on, by_user=self.uow.actor_id, ids=ids)
        self.chunks = reads.copy_text(self.rows) if self.rows else None
        self.written = reads.as_written(self.rows)
        self.prepared = reads.prepare_claim_changes(self.changes, self.history, self.uow.actor_id)
        self._record_claims(ids)

    def finish(self, on: dt.date) -> None:
        """Write the claims' changes and the planned postings (plain rows, the derived tables
        kept once for both) with the claims' events, and the denials opened (with the prevention
        checks they propose); the touched claims' kept line balances are checked against the
        ledger in between (:meth:`_check_ledger`)."""
        reads = self.uow.remittance_batch
        with reads.kept_together():
            if self.prepared is not None:  # made ready when planned
                reads.write_prepared_changes(self.prepared)
            else:
                reads.change_claims(self.changes, self.history, self.uow.actor_id)
            if self.rows is not None:  # numbered when planned
                rows = self.rows
                reads.write_posting_rows(rows, self.chunks, self.written)
            else:
                rows = [{"claim_id": posting.claim_id} for posting, _, _ in self.pending]
                made = reads.add_postings(self.pending, on=on, by_user=self.uow.actor_id)
                self._record_claims(made)
        self.changes, self.history, self.rows, self.chunks = {}, [], None, None
        self.prepared, self.written = None, None
        if rows:
            self._check_ledger(list(dict.fromkeys(row["claim_id"] for row in rows)))
        open_denials(self.uow, self.denials, on)
        self.denials.clear()
        # the step's queued items (none queued before: their keys were read), after its writes
        add_work_items(self.uow, [work_item(key, **item) for key, item in self.items])
        self.items.clear()

    def _record_claims(self, made: list[int]) -> None:
        """One audit event a claim the batch changed (:mod:`otbill.domain.audit_postings`): its
        postings (``made``: the planned postings' ids), its status moves and the payer's claim
        number, where posted claim by claim each is an event of its own (a large 835 records a
        quarter of the rows)."""
        by_claim: dict[int, list[tuple[int, Posting, str | None]]] = {}
        for posting_id, (posting, rarc, _) in zip(made, self.pending, strict=True):
            by_claim.setdefault(posting.claim_id, []).append((posting_id, posting, rarc))
        for claim_id, noted in self.notes.items():
            after = remittance_postings(self.remittance_id, by_claim.get(claim_id, []),
                                        noted.get("moves", ()), noted.get("payer_claim_number"))  # fmt: skip
            self.uow.audit.record(
                self.uow.actor_id, REMITTANCE_POSTINGS, "claim", claim_id, None, after
            )
        self.pending.clear()
        self.notes.clear()

    def _check_ledger(self, claims: list[int]) -> None:
        """The touched claims' lines' balances as kept for the owner's reports compared with
        their postings summed afresh in the database (one query, not every posting read back and
        realized: the claim-by-claim path's check, set-based)."""
        problems = self.uow.remittance_batch.summary_mismatches(claims)
        if problems:
            more = f" (and {len(problems) - 1} more lines)" if len(problems) > 1 else ""
            raise LedgerInvariantBroken(problems[0] + more)
