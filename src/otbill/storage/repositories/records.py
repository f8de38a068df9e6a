"""Repositories: every query filtered on the unit of work's clinic; no query crosses clinics.

Why one generic repository plus a few named queries: the tables are many and their basic access is
the same (get by id, find by criteria, add); what differs (the held queue, unbilled service lines)
gets a named method so the indexes that serve it are easy to find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from otbill.domain.record_errors import NotFound, PermissionDenied
from otbill.storage.tables import (
    ClaimRow,
    ClaimVisitRow,
    ServiceLineRow,
    VisitRow,
)
from otbill.storage.tables.base import ClinicOwned

__all__ = ["Repository"]

R = TypeVar("R", bound=ClinicOwned)


class Repository:
    """Records of one clinic, in one session."""

    def __init__(self, session: Session, clinic_id: int) -> None:
        self.session = session
        self.clinic_id = clinic_id

    def select(self, model: type[R]) -> Select[tuple[R]]:
        return select(model).where(model.clinic_id == self.clinic_id)

    def add(self, row: R) -> R:
        """Add a new record to this clinic (refusing one that names another clinic)."""
        if row.clinic_id is None:
            row.clinic_id = self.clinic_id
        elif row.clinic_id != self.clinic_id:
            raise PermissionDenied(
                f"{getattr(row, '__tablename__', 'record')}: belongs to another clinic"
            )
        self.session.add(row)
        return row

    def add_all(self, rows: Sequence[ClinicOwned]) -> None:
        for row in rows:
            self.add(row)

    def get(self, model: type[R], row_id: int, *, for_update: bool = False) -> R:
        """The record, or :class:`NotFound` (also when it belongs to another clinic)."""
        query = self.select(model).where(model.id == row_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).one_or_none()
        if row is None:
            raise NotFound(getattr(model, "__tablename__", model.__name__), row_id)
        return row

    def find(self, model: type[R], *where: ColumnElement[bool], order: Any = None) -> list[R]:
        query = self.select(model).where(*where)
        query = query.order_by(order if order is not None else model.id)
        return list(self.session.scalars(query))

    def first(self, model: type[R], *where: ColumnElement[bool]) -> R | None:
        return self.session.scalars(self.select(model).where(*where).limit(1)).first()

    def count(self, model: type[R], *where: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(model).where(model.clinic_id == self.clinic_id)
        return int(self.session.scalar(query.where(*where)) or 0)

    # --- named queries -------------------------------------------------------------------

    def claims_by_status(self, status: str | None, limit: int | None = None) -> list[ClaimRow]:
        """The work queue (served by ``ix_claim_queue``): oldest date of service first."""
        query = self.select(ClaimRow)
        if status is not None:
            query = query.where(ClaimRow.status == status)
        query = query.order_by(ClaimRow.date_of_service, ClaimRow.id)
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.scalars(query))

    def unbilled_visits(self, through: dt.date | None = None) -> list[VisitRow]:
        """Visits with service lines that no claim (other than a void) bills yet."""
        billed = (
            select(ClaimVisitRow.id)
            .join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id)
            .where(ClaimVisitRow.visit_id == VisitRow.id, ClaimRow.frequency_code != "8")
        )
        has_lines = select(ServiceLineRow.id).where(ServiceLineRow.visit_id == VisitRow.id)
        query = self.select(VisitRow).where(~exists(billed), exists(has_lines))
        if through is not None:
            query = query.where(VisitRow.date <= through)
        return list(self.session.scalars(query.order_by(VisitRow.date, VisitRow.id)))
