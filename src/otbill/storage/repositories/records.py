"""Repositories: every query filtered on the unit of work's clinic; no query crosses clinics.

The generic repository the services grew up with: get by id, find by criteria, add. No service,
route or command uses it any more (import-linter keeps ORM tables out of them); it remains for
tests that arrange or inspect rows directly and for the storage benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from otbill.domain.record_errors import NotFound, PermissionDenied
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
