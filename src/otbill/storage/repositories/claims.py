"""Claims, their lines, the visits they bill and their status history.

Named queries return domain records or plain values where services only read. The claim and line
rows themselves are still handed out where a use case changes them in place (status, modifiers,
units), under the unit of work's optimistic lock (the claim's version column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select

from otbill.domain.care import Visit
from otbill.domain.charges import BilledLine
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_visit, fetch, flush, scoped
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, ClaimVisitRow, VisitRow

__all__ = ["BuiltClaim", "ClaimRepository"]

# A claim built in memory, its lines, and the ids of the visits it bills (see ``insert_built``).
BuiltClaim = tuple[ClaimRow, Sequence[ClaimLineRow], Sequence[int]]

_CLAIM_COLUMNS = [c.key for c in ClaimRow.__table__.columns if c.key != "id"]
_LINE_COLUMNS = [c.key for c in ClaimLineRow.__table__.columns if c.key != "id"]
_LINE_COPY = [c for c in _LINE_COLUMNS if c not in ("clinic_id", "claim_id")]


def _values(row: object, columns: Sequence[str]) -> dict[str, object]:
    return {c: getattr(row, c) for c in columns}


class ClaimRepository(ClinicScoped):
    """Claims, their lines, the visits they bill and their status history."""

    def get(self, claim_id: int) -> ClaimRow:
        """The claim (:class:`NotFound` when not this clinic's); primary key."""
        return fetch(self.session, ClaimRow, self.clinic_id, claim_id)

    def for_update(self, claim_id: int) -> ClaimRow:
        """The claim, locked (SELECT ... FOR UPDATE) until the unit of work ends; primary key."""
        return fetch(self.session, ClaimRow, self.clinic_id, claim_id, for_update=True)

    def by_number(self, number: str) -> ClaimRow | None:
        """The claim numbered ``number`` (CLM01), else None; unique (clinic_id, number)."""
        query = scoped(ClaimRow, self.clinic_id).where(ClaimRow.number == number)
        return self.session.scalars(query.limit(1)).first()

    def by_status(self, status: str | None, limit: int | None = None) -> list[ClaimRow]:
        """The work queue, oldest date of service first (served by ``ix_claim_queue``)."""
        query = scoped(ClaimRow, self.clinic_id)
        if status is not None:
            query = query.where(ClaimRow.status == status)
        query = query.order_by(ClaimRow.date_of_service, ClaimRow.id)
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.scalars(query))

    def lines(self, claim_id: int) -> list[ClaimLineRow]:
        """The claim's lines in order (unique (claim_id, position))."""
        query = scoped(ClaimLineRow, self.clinic_id).where(ClaimLineRow.claim_id == claim_id)
        return list(self.session.scalars(query.order_by(ClaimLineRow.position)))

    def line(self, line_id: int) -> ClaimLineRow:
        """One claim line by id (:class:`NotFound` when not this clinic's); primary key."""
        return fetch(self.session, ClaimLineRow, self.clinic_id, line_id)

    def visits(self, claim_id: int) -> list[Visit]:
        """The visits the claim bills, by date (unique (claim_id, visit_id), then primary keys)."""
        billed = select(ClaimVisitRow.visit_id).where(ClaimVisitRow.claim_id == claim_id)
        query = scoped(VisitRow, self.clinic_id).where(VisitRow.id.in_(billed))
        return [
            as_visit(v) for v in self.session.scalars(query.order_by(VisitRow.date, VisitRow.id))
        ]

    def original_number(self, claim: ClaimRow) -> str | None:
        """What a correction of ``claim`` cites (REF*F8): the payer's number for the original
        claim, else ours; None for an original claim. Primary key."""
        if claim.original_claim_id is None:
            return None
        first = self.get(claim.original_claim_id)
        return first.payer_claim_number or first.number

    def corrections_count(self, claim_id: int) -> int:
        """How many corrections and voids cite this claim (a scan of the clinic's claims: rare)."""
        query = (
            select(func.count())
            .select_from(ClaimRow)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.original_claim_id == claim_id)
        )
        return int(self.session.scalar(query) or 0)

    def add_status_change(
        self, claim_id: int, before: str | None, after: str, reason: str, by_user: int | None
    ) -> None:
        """One row of the claim's status history, timed now."""
        self.session.add(
            ClaimStatusRow(clinic_id=self.clinic_id, claim_id=claim_id, from_status=before,
                           to_status=after, at=utcnow(), by_user=by_user, reason=reason)
        )  # fmt: skip

    def add_correction(
        self, original: ClaimRow, number: str, frequency: str, by_user: int | None
    ) -> ClaimRow:
        """A draft copy of ``original`` (its lines and visits too) citing it, as frequency 7 or 8."""
        copy = ClaimRow(
            clinic_id=self.clinic_id, number=number, patient_id=original.patient_id,
            coverage_id=original.coverage_id, payer_id=original.payer_id,
            date_of_service=original.date_of_service, status="draft", frequency_code=frequency,
            original_claim_id=original.id, place_of_service=original.place_of_service,
            telehealth=original.telehealth, total_charge_cents=original.total_charge_cents,
            findings=[], created_by=by_user, last_edited_by=by_user, created_at=utcnow(),
        )  # fmt: skip
        self.session.add(copy)
        flush(self.session)
        for line in self.lines(original.id):
            fields = _values(line, _LINE_COPY)
            self.session.add(ClaimLineRow(**fields, clinic_id=self.clinic_id, claim_id=copy.id))
        for visit in self.visits(original.id):
            self.session.add(
                ClaimVisitRow(clinic_id=self.clinic_id, claim_id=copy.id, visit_id=visit.id)
            )
        return copy

    def insert_built(self, built: Sequence[BuiltClaim], by_user: int | None) -> list[int]:
        """Insert built claims with their lines, visit links and first status change (from
        ``draft`` to their scrubbed status); returns their ids, in order.

        Bulk INSERT ... RETURNING (SQLAlchemy's insertmanyvalues) rather than one ORM flush per
        object: building a year of claims is dominated by row writes otherwise.
        """
        if not built:
            return []
        for claim, _, _ in built:
            claim.version = 1
        ids = self.session.scalars(
            insert(ClaimRow).returning(ClaimRow.id, sort_by_parameter_order=True),
            [_values(claim, _CLAIM_COLUMNS) for claim, _, _ in built],
        ).all()
        now, lines, links, statuses = utcnow(), [], [], []
        for claim_id, (claim, claim_lines, visit_ids) in zip(ids, built, strict=True):
            claim.id = claim_id
            for line in claim_lines:
                line.claim_id = claim_id
                lines.append(_values(line, _LINE_COLUMNS))
            links += [{"clinic_id": self.clinic_id, "claim_id": claim_id, "visit_id": v}
                      for v in visit_ids]  # fmt: skip
            statuses.append({"clinic_id": self.clinic_id, "claim_id": claim_id,
                             "from_status": "draft", "to_status": claim.status, "at": now,
                             "by_user": by_user, "reason": "scrubbed"})  # fmt: skip
        for table, rows in (
            (ClaimLineRow, lines),
            (ClaimVisitRow, links),
            (ClaimStatusRow, statuses),
        ):
            self.session.execute(insert(table), rows)
        return list(ids)

    def billed_lines(self, patient_ids: Iterable[int] | None) -> list[tuple[int, BilledLine]]:
        """(patient id, line) of every line on a claim that is not a void, of these patients (or
        the whole clinic); served by ``ix_claim_patient`` and the claim lines' claim key."""
        query = (
            select(ClaimLineRow, ClaimRow.number, ClaimRow.payer_id, ClaimRow.patient_id)
            .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.frequency_code != "8")
        )
        if patient_ids is not None:
            query = query.where(ClaimRow.patient_id.in_(list(patient_ids)))
        return [
            (patient_id, BilledLine.of(line.claim_id, number, payer_id, line))
            for line, number, payer_id, patient_id in self.session.execute(query)
        ]

    def numbers(self, patient_ids: Iterable[int] | None) -> set[str]:
        """The claim numbers in use for these patients (or the whole clinic); ``ix_claim_patient``."""
        query = select(ClaimRow.number).where(ClaimRow.clinic_id == self.clinic_id)
        if patient_ids is not None:
            query = query.where(ClaimRow.patient_id.in_(list(patient_ids)))
        return set(self.session.scalars(query))

    def allowed_cents_between(
        self, patient_id: int, payer_id: int, start: dt.date, before: dt.date
    ) -> int:
        """Expected allowed cents already claimed for the patient with this payer, dates of service
        from ``start`` up to (not including) ``before``, voids left out; ``ix_claim_patient``."""
        query = (
            select(func.coalesce(func.sum(ClaimLineRow.allowed_cents), 0))
            .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
            .where(
                ClaimRow.clinic_id == self.clinic_id,
                ClaimRow.patient_id == patient_id,
                ClaimRow.payer_id == payer_id,
                ClaimRow.frequency_code != "8",
                ClaimRow.date_of_service >= start,
                ClaimRow.date_of_service < before,
            )
        )
        return int(self.session.scalar(query) or 0)
