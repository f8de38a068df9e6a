"""Denials opened from 835s and the appeals filed against them.

Reads return domain records (:class:`Denial`, :class:`Appeal`); writes take the same records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from types import SimpleNamespace

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from otbill.domain.appeals import Appeal, Denial, DenialEvent
from otbill.storage.bulk_rows import insert_numbered
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped, values_of
from otbill.storage.repositories.written_rows import keep_written
from otbill.storage.tables import AppealRow, ClaimLineRow, ClaimRow, DenialRow

__all__ = ["DenialRepository"]


def _as_appeal(r: AppealRow) -> Appeal:
    return Appeal(r.id, r.claim_id, r.denial_id, r.level, r.filed_on, r.reason, r.outcome,
                  r.filed_by)  # fmt: skip


class DenialRepository(ClinicScoped):
    """Denials and appeals of the clinic."""

    def get(self, denial_id: int) -> Denial:
        """The denial (:class:`NotFound` when not this clinic's); primary key."""
        r = fetch(self.session, DenialRow, self.clinic_id, denial_id)
        return Denial(r.id, r.claim_id, r.group_code, r.carc, r.denied_on, r.appeal_deadline,
                      r.claim_line_id, r.rarc, r.remittance_id, r.amount_cents,
                      tuple(r.codes or ()), tuple(r.remarks or ()))  # fmt: skip

    def exists_for(self, claim_id: int, remittance_id: int) -> bool:
        """Whether this remittance already opened a denial on the claim; the denial's claim
        index."""
        query = select(DenialRow.id).where(
            DenialRow.clinic_id == self.clinic_id,
            DenialRow.claim_id == claim_id,
            DenialRow.remittance_id == remittance_id,
        )
        return self.session.scalars(query.limit(1)).first() is not None

    def opened_for(self, claim_ids: Collection[int], remittance_id: int) -> set[int]:
        """Which of these claims this remittance already opened a denial on (a batch of an
        835's claims at once); ``ix_denial_remittance``."""
        query = select(DenialRow.claim_id).where(
            DenialRow.clinic_id == self.clinic_id,
            DenialRow.remittance_id == remittance_id,
            DenialRow.claim_id.in_(list(claim_ids)),
        )
        return set(self.session.scalars(query))

    def add_many(self, denials: Sequence[Denial]) -> list[int]:
        """New denials (their ``id`` ignored) written as plain rows, not ORM objects (an 835's
        step opens hundreds: building and flushing them as objects was half the time of opening
        them), and the derived tables kept for them (:func:`.written_rows.keep_written`);
        returns their ids, in order."""
        flush(self.session)  # what they refer to goes first (the remittance, the claims)
        rows = [{**values_of(d), "clinic_id": self.clinic_id} for d in denials]
        insert_numbered(self.session, DenialRow, rows)
        keep_written(self.session, {DenialRow: [SimpleNamespace(**row) for row in rows]})
        return [row["id"] for row in rows]

    def events(
        self,
        since: dt.date,
        payer_id: int | None = None,
        carc: str | None = None,
        only: Collection[int] | None = None,
    ) -> list[tuple[int, DenialEvent]]:
        """Each denied code since ``since`` (of one payer and CARC when given, of the denials
        ``only`` when given), with its denial's id, in the order the denials were made (what
        ``AppealRepository.denial_events`` gives, read as plain rows)."""
        d = DenialRow
        query = (
            select(d.id, d.claim_id, d.claim_line_id, d.denied_on, d.carc, ClaimRow.payer_id,
                   ClaimRow.telehealth)
            .join(ClaimRow, ClaimRow.id == d.claim_id)
            .where(d.clinic_id == self.clinic_id, d.denied_on >= since)
            .order_by(d.id)
        )  # fmt: skip
        if payer_id is not None:
            query = query.where(ClaimRow.payer_id == payer_id)
        if carc is not None:
            query = query.where(d.carc == carc)
        if only is not None:
            query = query.where(d.id.in_(list(only)))
        denials = self.session.execute(query).all()
        lines: dict[int, list[tuple[int, str]]] = defaultdict(list)
        claim_ids = {r.claim_id for r in denials}
        if claim_ids:
            line = ClaimLineRow
            q = select(line.claim_id, line.id, line.code).where(
                line.clinic_id == self.clinic_id, line.claim_id.in_(claim_ids)
            )
            for claim_id, line_id, code in self.session.execute(q.order_by(line.position)):
                lines[claim_id].append((line_id, code))
        out = []
        for r in denials:
            claim_lines = lines[r.claim_id]
            denied = [x for x in claim_lines if x[0] == r.claim_line_id] or claim_lines
            for _, code in denied:
                others = tuple(sorted({c for _, c in claim_lines if c != code}))
                event = DenialEvent(r.payer_id, code, r.carc, r.denied_on, others, r.telehealth)
                out.append((r.id, event))
        return out

    def event_counts(
        self,
        since: dt.date,
        today: dt.date,
        kinds: Collection[tuple[int, str]],
        leave_out: Collection[int],
    ) -> dict[tuple[int, str, str], tuple[int, dt.date]]:
        """(payer id, code, CARC) -> (denied lines, the last day) of the ``kinds`` of denial,
        (payer id, CARC) pairs, from ``since`` to ``today``, the denials ``leave_out`` left
        out: :meth:`events` counted in the database, every kind in one query (prevention needs
        only the counts of a pattern it proposed already).

        The denial's own line (one of its claim's, else none) is outer-joined by its id, one
        index look-up a denial: as ``NOT EXISTS`` under an ``OR``, PostgreSQL hashed every
        claim line of the database for each call (growing with the table, not the clinic)."""
        d, line, own = DenialRow, ClaimLineRow, aliased(ClaimLineRow)
        query = (
            select(ClaimRow.payer_id, line.code, d.carc, func.count(), func.max(d.denied_on))
            .select_from(d)
            .join(ClaimRow, ClaimRow.id == d.claim_id)
            .outerjoin(own, and_(own.id == d.claim_line_id, own.claim_id == d.claim_id))
            .join(line, line.claim_id == d.claim_id)
            .where(
                d.clinic_id == self.clinic_id, tuple_(ClaimRow.payer_id, d.carc).in_(list(kinds))
            )
            .where(d.denied_on >= since, d.denied_on <= today, d.id.not_in(list(leave_out)))
            .where(or_(line.id == own.id, own.id.is_(None)))  # its line, else every line
            .group_by(ClaimRow.payer_id, line.code, d.carc)
        )
        rows = self.session.execute(query)
        return {(payer, code, carc): (int(n), last) for payer, code, carc, n, last in rows}

    def add(self, denial: Denial) -> int:
        """A new denial (its ``id`` is ignored); returns its id."""
        row = DenialRow(**values_of(denial), clinic_id=self.clinic_id)
        self.session.add(row)
        flush(self.session)
        return row.id

    def appeal_of(self, denial_id: int) -> Appeal | None:
        """The appeal already filed against this denial, else None (a scan of the appeals)."""
        query = scoped(AppealRow, self.clinic_id).where(AppealRow.denial_id == denial_id)
        row = self.session.scalars(query.order_by(AppealRow.id).limit(1)).first()
        return _as_appeal(row) if row else None

    def appeal_count(self, claim_id: int) -> int:
        """How many appeals the claim has had; the appeal's claim index."""
        query = (
            select(func.count())
            .select_from(AppealRow)
            .where(AppealRow.clinic_id == self.clinic_id, AppealRow.claim_id == claim_id)
        )
        return int(self.session.scalar(query) or 0)

    def add_appeal(self, appeal: Appeal) -> Appeal:
        """File an appeal (its ``id`` is ignored); returns it with its id."""
        row = AppealRow(**values_of(appeal), clinic_id=self.clinic_id)
        self.session.add(row)
        flush(self.session)
        return _as_appeal(row)
