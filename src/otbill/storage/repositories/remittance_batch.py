"""Reads and writes for posting an 835's claim payments a batch at a time (reached as
``uow.remittance_batch``).

Why a repository of its own: posting a 10,000-claim 835 one claim at a time asked the database
some 200 questions a claim (issue 15). Here each question is asked once for a batch of claim
payments — their claims, lines, earlier postings, queued items and coordination links — and the
batch's postings are written as plain rows in one statement (COPY on PostgreSQL), the derived
tables kept for them by the same listeners a flush runs (:mod:`.written_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import or_, select

from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.ledger import Kind, Posting
from otbill.domain.money import from_cents, to_cents
from otbill.storage.audit import utcnow
from otbill.storage.bulk_rows import copy_chunks, insert_numbered, reserve_ids, write_rows
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.claim_changes import (
    PreparedClaimChanges,
    StatusChange,
    prepare_claim_changes,
    write_claim_changes,
    write_prepared_changes,
)
from otbill.storage.repositories.claims import _as_claim, _as_line
from otbill.storage.repositories.id_lists import one_of
from otbill.storage.repositories.owner_summary import summary_mismatches
from otbill.storage.repositories.rows import flush, scoped
from otbill.storage.repositories.written_rows import keep_written, kept_together
from otbill.storage.tables import (
    ClaimCoordinationRow,
    ClaimCrossoverRow,
    ClaimLineRow,
    ClaimRow,
    CoverageRow,
    PostingRow,
    WorkItemRow,
)

__all__ = ["REMITTANCE_KEY", "NewPosting", "RemittanceBatchRepository"]

#: How every key an 835's postings are made under begins (``remittance_posting._key``).
REMITTANCE_KEY = "835:"

#: A posting to add, with what the posting record does not carry: (posting, RARC, remittance id).
NewPosting = tuple[Posting, str | None, int | None]


class RemittanceBatchRepository(ClinicScoped):
    """A batch of claim payments' records, each kind read in one query."""

    _held: list[ClaimRow] = []  # noqa: RUF012 — replaced per instance, never mutated

    def claims_by_number(self, numbers: Collection[str]) -> dict[str, StoredClaim]:
        """The claims with these numbers (CLP01), by number; unique (clinic_id, number)."""
        query = scoped(ClaimRow, self.clinic_id).where(one_of(ClaimRow.number, numbers))
        rows = list(self.session.scalars(query))
        # Held for the unit of work: the session keeps rows only while referenced, and the
        # batch's status changes and claim reads then find them without a query each.
        self._held = rows
        return {row.number: _as_claim(row) for row in rows}

    def lines(self, claim_ids: Collection[int]) -> dict[int, list[ClaimLine]]:
        """Each claim's lines in order, by claim id; unique (claim_id, position)."""
        line = ClaimLineRow.__table__.c
        query = (
            select(ClaimLineRow.__table__)
            .where(line.clinic_id == self.clinic_id, one_of(line.claim_id, claim_ids))
            .order_by(line.claim_id, line.position)
        )
        out: dict[int, list[ClaimLine]] = defaultdict(list)
        for row in self._rows(query):  # plain rows, read-only here: no ORM objects to build
            out[row.claim_id].append(_as_line(row))
        return out

    def _rows(self, query: Any) -> Any:
        """``query``'s rows as plain tuples (named by column), past the ORM's loading: a batch
        reads tens of thousands, and turning them into ORM objects was most of its reading."""
        flush(self.session)  # what the session holds unwritten is read too
        return self.session.connection().execute(query)

    def postings(
        self, claim_ids: Collection[int], remittances: dict[int, int | None] | None = None
    ) -> dict[int, list[Posting]]:
        """Each claim's postings an 835 made and its reversals, in the order made, by claim id
        (and, into ``remittances`` when given, each posting's remittance id);
        ``ix_posting_claim``. What an 835's posting asks of a claim's ledger: which of its keys
        (all ``835:``) were posted, what a payer's reversal undoes, what was reversed already.
        Not the charges and the rest: three in four postings a claim has when its first 835
        comes, read and made objects for nothing."""
        # Plain rows, not ORM objects: a batch reads tens of thousands, and ORM loading was
        # most of the posting's own CPU.
        p = PostingRow
        query = (
            select(p.id, p.source_key, p.kind, p.amount_cents, p.claim_id, p.claim_line_id,
                   p.patient_id, p.payer_id, p.payer_side, p.group_code, p.carc, p.reverses_id,
                   p.remittance_id)
            .where(p.clinic_id == self.clinic_id, one_of(p.claim_id, claim_ids),
                   or_(p.source_key.startswith(REMITTANCE_KEY), p.reverses_id.is_not(None)))
            .order_by(p.id)
        )  # fmt: skip
        out: dict[int, list[Posting]] = defaultdict(list)
        kinds = {kind.value: kind for kind in Kind}
        amounts: dict[int, Decimal] = {}  # a clinic's charges repeat a few amounts
        for r in self._rows(query):
            amount = amounts.get(r.amount_cents)
            if amount is None:
                amount = amounts[r.amount_cents] = from_cents(r.amount_cents)
            posting = Posting(r.id, r.source_key, kinds[r.kind], amount, r.claim_id,
                              r.claim_line_id, r.patient_id, r.payer_id, r.payer_side,
                              r.group_code, r.carc, r.reverses_id)  # fmt: skip
            out[r.claim_id].append(posting)
            if remittances is not None:
                remittances[r.id] = r.remittance_id
        return out

    def summary_mismatches(self, claim_ids: Collection[int]) -> list[str]:
        """These claims' lines whose kept balances (the owner's ``claim_line_balance``) differ
        from their postings summed afresh in the database, in plain words (checked at the
        batch's end: :func:`.owner_summary.summary_mismatches`)."""
        return summary_mismatches(self.session, self.clinic_id, claim_ids)

    def queued(self, source_keys: Collection[str]) -> set[str]:
        """Which of these work-item keys were queued already; unique (clinic_id, source_key)."""
        query = select(WorkItemRow.source_key).where(
            WorkItemRow.clinic_id == self.clinic_id,
            one_of(WorkItemRow.source_key, source_keys),
        )
        return set(self.session.scalars(query))

    def with_later_coverage(self, patient_ids: Collection[int]) -> set[int]:
        """Which of these patients have a secondary or tertiary coverage (a later payer's claim
        may follow theirs); the coverage patient index."""
        query = select(CoverageRow.patient_id).where(
            CoverageRow.clinic_id == self.clinic_id,
            one_of(CoverageRow.patient_id, patient_ids),
            CoverageRow.priority > 1,
        )
        return set(self.session.scalars(query))

    def coordinated(self, claim_ids: Collection[int]) -> set[int]:
        """Which of these claims are in a chain of payers (follow one, or are followed) or were
        crossed over: their payments are routed claim by claim."""
        ids = list(claim_ids)
        link = ClaimCoordinationRow
        found: set[int] = set()
        for column in (link.claim_id, link.prior_claim_id):
            query = select(column).where(link.clinic_id == self.clinic_id, one_of(column, ids))
            found.update(self.session.scalars(query))
        crossed = select(ClaimCrossoverRow.claim_id).where(
            ClaimCrossoverRow.clinic_id == self.clinic_id, one_of(ClaimCrossoverRow.claim_id, ids)
        )
        found.update(self.session.scalars(crossed))
        return found

    def add_postings(
        self, postings: Sequence[NewPosting], *, on: dt.date, by_user: int | None
    ) -> list[int]:
        """Append these postings (their ids ignored) dated ``on`` as plain rows, not ORM objects
        (a large 835 adds a hundred thousand: building and flushing them as objects was most of
        its time), and keep the derived tables for them (:func:`.written_rows.keep_written`);
        returns their ids, in order."""
        rows = self.posting_rows(postings, on=on, by_user=by_user)
        flush(self.session)  # what they refer to goes first (a remittance, a claim's changes)
        insert_numbered(self.session, PostingRow, rows)
        self._kept_for(rows)
        return [row["id"] for row in rows]

    def posting_rows(
        self,
        postings: Sequence[NewPosting],
        *,
        on: dt.date,
        by_user: int | None,
        ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        """The postings' rows (their ids from ``ids``, in order, else none yet), dated ``on``,
        posted now by ``by_user``."""
        now = utcnow()
        rows: list[dict[str, Any]] = [
            {
                "clinic_id": self.clinic_id,
                "source_key": p.source_key,
                "kind": p.kind.value,
                "amount_cents": to_cents(p.amount),
                "claim_id": p.claim_id,
                "claim_line_id": p.line_id,
                "patient_id": p.patient_id,
                "payer_id": p.payer_id,
                "payer_side": p.payer_side,
                "group_code": p.group_code,
                "carc": p.carc,
                "rarc": rarc,
                "remittance_id": remittance_id,
                "reverses_id": p.reverses,
                "posted_on": on,
                "posted_at": now,
                "posted_by": by_user,
            }
            for p, rarc, remittance_id in postings
        ]
        if ids is not None:
            for row, posting_id in zip(rows, ids, strict=True):
                row["id"] = posting_id
        return rows

    def reserve_posting_ids(self, count: int) -> list[int] | None:
        """``count`` posting ids taken now (PostgreSQL; None on SQLite): a step planned while
        another is being written numbers its postings without writing or locking anything
        (:func:`otbill.storage.bulk_rows.reserve_ids`)."""
        return reserve_ids(self.session, PostingRow, count)

    def copy_text(self, rows: Sequence[dict[str, Any]]) -> list[str | None]:
        """Rows of :meth:`posting_rows` as COPY text, formatted ahead of
        :meth:`write_posting_rows` (:func:`otbill.storage.bulk_rows.copy_chunks`)."""
        return copy_chunks(rows)

    def as_written(self, rows: Sequence[dict[str, Any]]) -> list[SimpleNamespace]:
        """Rows of :meth:`posting_rows` as the derived tables' listeners read written rows (by
        attribute), made ahead of :meth:`write_posting_rows`."""
        return [SimpleNamespace(**row) for row in rows]

    def write_posting_rows(
        self,
        rows: Sequence[dict[str, Any]],
        chunks: Sequence[str | None] | None = None,
        written: Sequence[SimpleNamespace] | None = None,
    ) -> None:
        """Append rows of :meth:`posting_rows` given their ids (``chunks``: their COPY text
        formatted ahead, :func:`otbill.storage.bulk_rows.copy_chunks`; ``written``: their
        :meth:`as_written`), and keep the derived tables for them (as :meth:`add_postings`
        does)."""
        flush(self.session)  # what they refer to goes first (a remittance, a claim's changes)
        write_rows(self.session, PostingRow, rows, chunks=chunks)
        self._kept_for(rows, written)

    def _kept_for(
        self, rows: Sequence[dict[str, Any]], written: Sequence[SimpleNamespace] | None = None
    ) -> None:
        keep_written(self.session, {PostingRow: written or self.as_written(rows)})

    def kept_together(self) -> AbstractContextManager[None]:
        """The derived tables kept once for the claim changes and postings written inside
        (:func:`.written_rows.kept_together`)."""
        return kept_together(self.session)

    def change_claims(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        history: Sequence[StatusChange],
        by_user: int | None,
    ) -> None:
        """Write the batch's claim changes (claim id -> new ``status`` / ``payer_claim_number``)
        and status history to the claims read by :meth:`claims_by_number`
        (:func:`.claim_changes.write_claim_changes`)."""
        write_claim_changes(self.session, self._by_id(), changes, history, by_user)

    def prepare_claim_changes(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        history: Sequence[StatusChange],
        by_user: int | None,
    ) -> PreparedClaimChanges:
        """:meth:`change_claims`' values made ready ahead of writing (read and numbered only:
        :func:`.claim_changes.prepare_claim_changes`)."""
        return prepare_claim_changes(self.session, self._by_id(), changes, history, by_user)

    def write_prepared_changes(self, prepared: PreparedClaimChanges) -> None:
        """Write what :meth:`prepare_claim_changes` made ready."""
        write_prepared_changes(self.session, self._by_id(), prepared)

    def _by_id(self) -> dict[int, ClaimRow]:
        return {row.id: row for row in self._held}
