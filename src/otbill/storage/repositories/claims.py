"""Claims, their lines, the visits they bill and their status history.

Named queries return domain records (:class:`StoredClaim`, :class:`ClaimLine`, :class:`Visit`);
changes go through :meth:`ClaimRepository.change` and :meth:`ClaimRepository.change_line`, which
write the session's own row, so the claim's version column (the optimistic lock) still catches a
write that raced past a ``for_update`` lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, func, insert, select

from otbill.domain.care import Visit
from otbill.domain.charges import BilledLine
from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.record_errors import NotFound
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.claim_editors import ClaimEditorRepository
from otbill.storage.repositories.dashboard_claim_months import count_built_claims
from otbill.storage.repositories.dashboard_summary import count_first_scrubs
from otbill.storage.repositories.dashboard_unbilled import refresh_unbilled
from otbill.storage.repositories.rows import (
    as_visit,
    fetch,
    flush,
    scoped,
    set_given,
    values_of,
)
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, ClaimVisitRow, VisitRow

__all__ = ["BuiltClaim", "ClaimRepository", "queue"]

# A claim built in memory, its lines, and the ids of the visits it bills (see ``insert_built``).
BuiltClaim = tuple[StoredClaim, Sequence[ClaimLine], Sequence[int]]


def queue(clinic_id: int, status: str | None, limit: int | None = None) -> Select[tuple[ClaimRow]]:
    """The work queue's select, oldest date of service first (served by ``ix_claim_queue``)."""
    query = scoped(ClaimRow, clinic_id)
    if status is not None:
        query = query.where(ClaimRow.status == status)
    query = query.order_by(ClaimRow.date_of_service, ClaimRow.id)
    return query if limit is None else query.limit(limit)


def _as_claim(r: ClaimRow) -> StoredClaim:
    return StoredClaim(
        id=r.id,
        number=r.number,
        patient_id=r.patient_id,
        coverage_id=r.coverage_id,
        payer_id=r.payer_id,
        date_of_service=r.date_of_service,
        status=r.status,
        place_of_service=r.place_of_service,
        total_charge_cents=r.total_charge_cents,
        created_by=r.created_by,
        last_edited_by=r.last_edited_by,
        telehealth=r.telehealth,
        frequency_code=r.frequency_code,
        original_claim_id=r.original_claim_id,
        payer_claim_number=r.payer_claim_number,
        findings=tuple(r.findings or ()),
        error_count=r.error_count,
        approved_by=r.approved_by,
    )


def _as_line(r: ClaimLineRow) -> ClaimLine:
    return ClaimLine(r.id, r.claim_id, r.position, r.date, r.code, r.units, r.modifiers,
                     r.charge_cents, r.rendering_provider_id, r.allowed_cents, r.minutes,
                     r.service_line_id, r.furnished_by_assistant, r.distinct_service)  # fmt: skip


class ClaimRepository(ClinicScoped):
    """Claims, their lines, the visits they bill and their status history."""

    @property
    def editors(self) -> ClaimEditorRepository:
        """Who created or changed each claim's content (separation of duties)."""
        return ClaimEditorRepository(self.session, self.clinic_id)

    def _row(self, claim_id: int) -> ClaimRow:
        """The claim's row, from the session's identity map when already loaded (no query)."""
        row = self.session.get(ClaimRow, claim_id)
        if row is None or row.clinic_id != self.clinic_id:
            raise NotFound("claim", claim_id)
        return row

    def get(self, claim_id: int) -> StoredClaim:
        """The claim (:class:`NotFound` when not this clinic's); primary key."""
        return _as_claim(self._row(claim_id))

    def for_update(self, claim_id: int) -> StoredClaim:
        """The claim, its row locked (SELECT ... FOR UPDATE) until the unit of work ends; the
        row's version column catches a write that raced past the lock. Primary key."""
        return _as_claim(fetch(self.session, ClaimRow, self.clinic_id, claim_id, for_update=True))

    def by_number(self, number: str) -> StoredClaim | None:
        """The claim numbered ``number`` (CLM01), else None; unique (clinic_id, number)."""
        query = scoped(ClaimRow, self.clinic_id).where(ClaimRow.number == number)
        row = self.session.scalars(query.limit(1)).first()
        return _as_claim(row) if row else None

    def by_status(self, status: str | None, limit: int | None = None) -> list[StoredClaim]:
        """The work queue, oldest date of service first (served by ``ix_claim_queue``)."""
        return [_as_claim(r) for r in self.session.scalars(queue(self.clinic_id, status, limit))]

    def submitted_waiting(self) -> list[tuple[StoredClaim, dt.datetime]]:
        """Claims still ``submitted`` (no 277CA acceptance, no 835) with when they were sent
        (their last move to submitted), oldest first; ``ix_claim_queue``, ``ix_claim_status_claim``."""
        sent = func.max(ClaimStatusRow.at)
        query = (
            select(ClaimRow, sent)
            .join(ClaimStatusRow, ClaimStatusRow.claim_id == ClaimRow.id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.status == "submitted",
                   ClaimStatusRow.to_status == "submitted",
                   ClaimStatusRow.from_status.is_distinct_from("submitted"))  # not a 276 asked
            .group_by(ClaimRow.id)
            .order_by(sent, ClaimRow.id)
        )  # fmt: skip
        return [(_as_claim(row), at) for row, at in self.session.execute(query)]

    def change(
        self,
        claim_id: int,
        *,
        status: str | None = None,
        findings: Sequence[Mapping[str, Any]] | None = None,
        error_count: int | None = None,
        payer_claim_number: str | None = None,
        last_edited_by: int | None = None,
        approved_by: int | None = None,
        place_of_service: str | None = None,
        total_charge_cents: int | None = None,
    ) -> StoredClaim:
        """Change what a use case may change of a claim (what is not given stays as it is);
        returns the claim as changed, written at the next flush under its version lock."""
        values = {
            "status": status,
            "findings": None if findings is None else [dict(f) for f in findings],
            "error_count": error_count,
            "payer_claim_number": payer_claim_number,
            "last_edited_by": last_edited_by,
            "approved_by": approved_by,
            "place_of_service": place_of_service,
            "total_charge_cents": total_charge_cents,
        }
        return _as_claim(set_given(self._row(claim_id), values))

    def lines(self, claim_id: int) -> list[ClaimLine]:
        """The claim's lines in order (unique (claim_id, position))."""
        query = scoped(ClaimLineRow, self.clinic_id).where(ClaimLineRow.claim_id == claim_id)
        return [_as_line(r) for r in self.session.scalars(query.order_by(ClaimLineRow.position))]

    def line(self, line_id: int) -> ClaimLine:
        """One claim line by id (:class:`NotFound` when not this clinic's); primary key."""
        return _as_line(fetch(self.session, ClaimLineRow, self.clinic_id, line_id))

    def change_line(
        self,
        line_id: int,
        *,
        modifiers: str | None = None,
        units: int | None = None,
        charge_cents: int | None = None,
    ) -> ClaimLine:
        """Change a line's modifiers, units or charge (what is not given stays); returns it."""
        row = fetch(self.session, ClaimLineRow, self.clinic_id, line_id)
        values = {"modifiers": modifiers, "units": units, "charge_cents": charge_cents}
        return _as_line(set_given(row, values))

    def visits(self, claim_id: int) -> list[Visit]:
        """The visits the claim bills, by date (unique (claim_id, visit_id), then primary keys)."""
        billed = select(ClaimVisitRow.visit_id).where(ClaimVisitRow.claim_id == claim_id)
        query = scoped(VisitRow, self.clinic_id).where(VisitRow.id.in_(billed))
        return [
            as_visit(v) for v in self.session.scalars(query.order_by(VisitRow.date, VisitRow.id))
        ]

    def original_number(self, original_claim_id: int | None) -> str | None:
        """What a correction cites (REF*F8) of the claim it corrects: the payer's number for it,
        else ours; None for an original claim (``original_claim_id`` None). Primary key."""
        if original_claim_id is None:
            return None
        first = self._row(original_claim_id)
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
        self, original_id: int, number: str, frequency: str, by_user: int | None
    ) -> int:
        """A draft copy of the claim (its lines and visits too) citing it, as frequency 7 or 8;
        returns its id."""
        original = self.get(original_id)
        copy = replace(original, id=0, number=number, status=ClaimStatus.DRAFT.value,
                       frequency_code=frequency, original_claim_id=original.id,
                       payer_claim_number=None, findings=(), error_count=0, approved_by=None,
                       created_by=by_user, last_edited_by=by_user)  # fmt: skip
        row = ClaimRow(**values_of(copy), clinic_id=self.clinic_id, created_at=utcnow())
        self.session.add(row)
        flush(self.session)
        for line in self.lines(original_id):
            values = values_of(line, "claim_id")
            self.session.add(ClaimLineRow(**values, clinic_id=self.clinic_id, claim_id=row.id))
        for visit in self.visits(original_id):
            self.session.add(
                ClaimVisitRow(clinic_id=self.clinic_id, claim_id=row.id, visit_id=visit.id)
            )
        return row.id

    def insert_built(self, built: Sequence[BuiltClaim], by_user: int | None) -> list[int]:
        """Insert built claims with their lines, visit links and first status change (from
        ``draft`` to their scrubbed status); returns their ids, in order.

        Bulk INSERT ... RETURNING (SQLAlchemy's insertmanyvalues) rather than one ORM flush per
        object: building a year of claims is dominated by row writes otherwise.
        """
        if not built:
            return []
        now, mine = utcnow(), {"clinic_id": self.clinic_id}
        ids = self.session.scalars(
            insert(ClaimRow).returning(ClaimRow.id, sort_by_parameter_order=True),
            [{**values_of(c), **mine, "created_at": now, "version": 1} for c, _, _ in built],
        ).all()
        lines: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        statuses: list[dict[str, Any]] = []
        for claim_id, (claim, claim_lines, visit_ids) in zip(ids, built, strict=True):
            lines += [
                {**values_of(x, "claim_id"), **mine, "claim_id": claim_id} for x in claim_lines
            ]
            links += [{**mine, "claim_id": claim_id, "visit_id": v} for v in visit_ids]
            statuses.append({**mine, "claim_id": claim_id, "from_status": "draft",
                             "to_status": claim.status, "at": now, "by_user": by_user,
                             "reason": "scrubbed"})  # fmt: skip
        for table, rows in (
            (ClaimLineRow, lines),
            (ClaimVisitRow, links),
            (ClaimStatusRow, statuses),
        ):
            self.session.execute(insert(table), rows)
        connection = self.session.connection()  # the dashboard's rollups (no flush sees these)
        count_first_scrubs(
            connection,
            [(self.clinic_id, c.date_of_service, c.payer_id, c.status) for c, _, _ in built],
        )
        refresh_unbilled(connection, {link["visit_id"] for link in links})
        count_built_claims(connection, [(self.clinic_id, c.date_of_service, c.payer_id, c.status,
                                         c.frequency_code, c.total_charge_cents) for c, _, _ in built])  # fmt: skip
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
        """The claim numbers in use for these patients (or the whole clinic);
        ``ix_claim_patient``."""
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
