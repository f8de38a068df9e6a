"""Posting to the ledger: charges, payments, adjustments, patient responsibility, reversals.

Why select-then-insert on the source key: reposting the same 835 must change nothing, and the
unique (clinic_id, source_key) constraint backs it up when two transactions race. After each
operation the claim's balances are re-derived and the invariants checked, inside the transaction:
a violation (a bug) rolls the whole operation back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.audit_postings import posting_image
from otbill.domain.ledger import Balances, Kind, Posting, check_invariants, realize
from otbill.domain.money import to_cents
from otbill.domain.record_errors import LedgerInvariantBroken, RecordError
from otbill.storage import UnitOfWork

__all__ = ["LedgerEntry", "balances", "check_claim_balances", "post", "reverse"]

_GROUPS = {"CO", "OA", "PI", "PR"}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What to post: ``kind`` on one claim line, with the key that makes it unique."""

    source_key: str
    kind: Kind
    claim_line_id: int
    amount: Decimal
    payer_side: bool = True
    group_code: str | None = None
    carc: str | None = None
    rarc: str | None = None
    remittance_id: int | None = None


def _validate(entry: LedgerEntry) -> None:
    if entry.amount < 0:
        raise RecordError(f"posting {entry.source_key}: amount {entry.amount} is negative")
    if entry.kind is Kind.REVERSAL:
        raise RecordError(f"posting {entry.source_key}: use reverse() for reversals")
    if entry.kind is Kind.ADJUSTMENT and (
        entry.group_code not in _GROUPS - {"PR"} or not entry.carc
    ):
        raise RecordError(
            f"posting {entry.source_key}: an adjustment needs group CO, OA or PI "
            "and a CARC (group PR is a transfer to patient responsibility)"
        )


def post(uow: UnitOfWork, entry: LedgerEntry, on: dt.date) -> tuple[int, bool]:
    """Post ``entry``; returns (posting id, created). An already-posted source key is a no-op."""
    _validate(entry)
    found = uow.ledger.by_source_key(entry.source_key)
    if found is not None:
        return found.id, False
    line = uow.claims.line(entry.claim_line_id)
    claim = uow.claims.get(line.claim_id)
    posting = Posting(0, entry.source_key, entry.kind, entry.amount, claim.id, line.id,
                      claim.patient_id, claim.payer_id, entry.payer_side, entry.group_code,
                      entry.carc)  # fmt: skip
    made = uow.ledger.add(posting, on=on, by_user=uow.actor_id, rarc=entry.rarc,
                          remittance_id=entry.remittance_id)  # fmt: skip
    _audit(uow, made, entry.rarc)
    _check_claim(uow, claim.id)
    return made.id, True


def reverse(
    uow: UnitOfWork,
    posting_id: int,
    source_key: str,
    on: dt.date,
    *,
    remittance_id: int | None = None,
) -> tuple[int, bool]:
    """Undo one posting with a reversal posting (the original stays, as in any ledger);
    ``remittance_id``: the remittance that reversed it (a payer's CLP02 22), for its deposit."""
    found = uow.ledger.by_source_key(source_key)
    if found is not None:
        return found.id, False
    original = uow.ledger.get(posting_id)
    if original.kind == Kind.REVERSAL:
        raise RecordError(f"posting {posting_id}: a reversal cannot be reversed; post anew")
    if uow.ledger.reversal_of(posting_id) is not None:
        raise RecordError(f"posting {posting_id}: already reversed")
    reversal = dataclasses.replace(original, id=0, source_key=source_key, kind=Kind.REVERSAL,
                                   group_code=None, carc=None, reverses=original.id)  # fmt: skip
    made = uow.ledger.add(reversal, on=on, by_user=uow.actor_id, remittance_id=remittance_id)
    _audit(uow, made, None)
    _check_claim(uow, original.claim_id)
    return made.id, True


def _audit(uow: UnitOfWork, posting: Posting, rarc: str | None) -> None:
    after = posting_image(posting, rarc)
    uow.audit.record(
        uow.actor_id, f"posting.{posting.kind.value}", "posting", posting.id, None, after
    )


def balances(
    uow: UnitOfWork,
    *,
    claim_id: int | None = None,
    patient_id: int | None = None,
    payer_id: int | None = None,
) -> Balances:
    """Derived balances of the clinic's postings (optionally of one claim, patient or payer)."""
    return realize(uow.ledger.postings(claim_id=claim_id, patient_id=patient_id, payer_id=payer_id))


def _check_claim(uow: UnitOfWork, claim_id: int) -> None:
    check_claim_balances(balances(uow, claim_id=claim_id), uow.ledger.kept_line_balances(claim_id))


def check_claim_balances(realized: Balances, kept: dict[int, tuple[int, int]]) -> None:
    """The ledger invariants of one claim's balances, and its lines' balances kept for the
    owner's reports (issue 14: derived, so they must agree); :class:`LedgerInvariantBroken`."""
    check_invariants(realized)
    for line, b in realized.by_line.items():
        want = (to_cents(b.payer_balance), to_cents(b.patient_balance))
        if kept.get(line) != want:
            raise LedgerInvariantBroken(
                f"claim line {line}: kept balances (insurance, patient cents) {kept.get(line)}, "
                f"the ledger's {want}"
            )
