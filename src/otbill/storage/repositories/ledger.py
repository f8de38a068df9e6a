"""The ledger: append-only postings, each with its unique source key; balances are derived.

Reads return :class:`otbill.domain.ledger.Posting` records; the one write adds a posting and
returns it as a record (nothing here updates or deletes a posting); the flush that writes it
also adds its effect to the claim line's kept open balances (:mod:`.owner_summary`, derived data
for the owner's reports), and ``summary_mismatches`` checks those against the postings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from otbill.domain.ledger import Kind, Posting
from otbill.domain.money import from_cents, to_cents
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.owner_summary import kept_line_balances, summary_mismatches
from otbill.storage.repositories.rows import fetch, flush, scoped
from otbill.storage.tables import PostingRow, ProviderPostingRow

__all__ = ["LedgerRepository", "ProviderPosting"]


@dataclass(frozen=True, slots=True)
class ProviderPosting:
    """A provider-level adjustment posted (PLB): its signed effect on the payment, in cents."""

    id: int
    source_key: str
    remittance_id: int | None
    work_item_id: int | None
    reference: str
    amount_cents: int
    posted_on: dt.date


def _as_posting(row: PostingRow) -> Posting:
    return Posting(
        id=row.id,
        source_key=row.source_key,
        kind=Kind(row.kind),
        amount=from_cents(row.amount_cents),
        claim_id=row.claim_id,
        line_id=row.claim_line_id,
        patient_id=row.patient_id,
        payer_id=row.payer_id,
        payer_side=row.payer_side,
        group_code=row.group_code,
        carc=row.carc,
        reverses=row.reverses_id,
    )


class LedgerRepository(ClinicScoped):
    """Postings of the clinic."""

    def get(self, posting_id: int) -> Posting:
        """The posting (:class:`NotFound` when not this clinic's); primary key."""
        return _as_posting(fetch(self.session, PostingRow, self.clinic_id, posting_id))

    def by_source_key(self, source_key: str) -> Posting | None:
        """The posting made under this key, else None; unique (clinic_id, source_key)."""
        query = scoped(PostingRow, self.clinic_id).where(PostingRow.source_key == source_key)
        row = self.session.scalars(query.limit(1)).first()
        return _as_posting(row) if row else None

    def reversal_of(self, posting_id: int) -> Posting | None:
        """The posting that reverses this one, else None; unique ``reverses_id``."""
        query = scoped(PostingRow, self.clinic_id).where(PostingRow.reverses_id == posting_id)
        row = self.session.scalars(query.limit(1)).first()
        return _as_posting(row) if row else None

    def postings(
        self,
        *,
        claim_id: int | None = None,
        patient_id: int | None = None,
        payer_id: int | None = None,
    ) -> list[Posting]:
        """Postings in the order made, of one claim, patient or payer (``ix_posting_claim``,
        ``ix_posting_patient``) or the whole clinic."""
        query = scoped(PostingRow, self.clinic_id)
        for column, value in (
            (PostingRow.claim_id, claim_id),
            (PostingRow.patient_id, patient_id),
            (PostingRow.payer_id, payer_id),
        ):
            if value is not None:
                query = query.where(column == value)
        return [_as_posting(row) for row in self.session.scalars(query.order_by(PostingRow.id))]

    def unreversed_835(self, claim_id: int, except_remittance: int) -> list[Posting]:
        """The claim's postings from 835s (other than ``except_remittance``) that are not
        reversals and not reversed yet: what a payer's reversal (CLP02 22) undoes;
        ``ix_posting_claim``."""
        reversed_ids = select(PostingRow.reverses_id).where(
            PostingRow.clinic_id == self.clinic_id, PostingRow.reverses_id.is_not(None)
        )
        query = scoped(PostingRow, self.clinic_id).where(
            PostingRow.claim_id == claim_id,
            PostingRow.source_key.startswith("835:"),
            PostingRow.kind != Kind.REVERSAL.value,
            PostingRow.remittance_id != except_remittance,
            PostingRow.id.not_in(reversed_ids),
        )
        return [_as_posting(row) for row in self.session.scalars(query.order_by(PostingRow.id))]

    def add(
        self,
        posting: Posting,
        *,
        on: dt.date,
        by_user: int | None,
        rarc: str | None = None,
        remittance_id: int | None = None,
    ) -> Posting:
        """Append ``posting`` (its ``id`` is ignored) dated ``on``; returns it with its id."""
        row = PostingRow(
            clinic_id=self.clinic_id,
            source_key=posting.source_key,
            kind=posting.kind.value,
            amount_cents=to_cents(posting.amount),
            claim_id=posting.claim_id,
            claim_line_id=posting.line_id,
            patient_id=posting.patient_id,
            payer_id=posting.payer_id,
            payer_side=posting.payer_side,
            group_code=posting.group_code,
            carc=posting.carc,
            rarc=rarc,
            remittance_id=remittance_id,
            reverses_id=posting.reverses,
            posted_on=on,
            posted_at=utcnow(),
            posted_by=by_user,
        )
        self.session.add(row)
        flush(self.session)
        return _as_posting(row)

    def kept_line_balances(self, claim_id: int) -> dict[int, tuple[int, int]]:
        """Claim line id -> (insurance, patient cents) as kept in ``claim_line_balance`` for
        the owner's reports (derived; compared with ``realize`` after every posting)."""
        return kept_line_balances(self.session, self.clinic_id, claim_id)

    def summary_mismatches(self, claim_id: int | None = None) -> list[str]:
        """The claim lines (of one claim, else the clinic) whose kept open balances
        (``claim_line_balance``) differ from their postings summed afresh; empty when equal."""
        return summary_mismatches(self.session, self.clinic_id, claim_id)

    # --- provider-level postings (PLB: money of no claim) ----------------------------------------

    def provider_posting(self, source_key: str) -> ProviderPosting | None:
        """The provider-level posting made under this key, else None; unique (clinic_id,
        source_key)."""
        query = scoped(ProviderPostingRow, self.clinic_id).where(
            ProviderPostingRow.source_key == source_key
        )
        row = self.session.scalars(query.limit(1)).first()
        return _as_provider(row) if row else None

    def add_provider_posting(
        self,
        *,
        source_key: str,
        remittance_id: int | None,
        work_item_id: int | None,
        reference: str,
        amount_cents: int,
        on: dt.date,
        by_user: int | None,
    ) -> ProviderPosting:
        """Append a provider-level posting dated ``on``; returns it with its id."""
        row = ProviderPostingRow(clinic_id=self.clinic_id, source_key=source_key,
                                 remittance_id=remittance_id, work_item_id=work_item_id,
                                 reference=reference, amount_cents=amount_cents, posted_on=on,
                                 posted_at=utcnow(), posted_by=by_user)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return _as_provider(row)


def _as_provider(row: ProviderPostingRow) -> ProviderPosting:
    return ProviderPosting(row.id, row.source_key, row.remittance_id, row.work_item_id,
                           row.reference, row.amount_cents, row.posted_on)  # fmt: skip
