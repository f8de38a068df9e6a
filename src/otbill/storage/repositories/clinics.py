"""The clinics: which exist and by what code (before anyone works inside one), and this clinic.

Two kinds of reads. :class:`ClinicDirectory` answers questions asked before a clinic is chosen
(logging in, ``--clinic DEMO`` on the command line, creating a clinic); it opens a short session of
its own per question. :class:`ClinicRepository` is the unit of work's view of its own clinic.
Named queries return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from otbill.domain.record_errors import NotFound
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import flush
from otbill.storage.tables import (
    AuditHeadRow,
    ClinicRow,
    FeeScheduleRow,
    OverheadCostRow,
    PayerRow,
    ProviderRow,
)
from otbill.storage.tables.base import ClinicOwned

__all__ = [
    "ClinicDirectory",
    "ClinicRecord",
    "ClinicRef",
    "ClinicRepository",
    "FeeEntry",
    "SessionSource",
]


class SessionSource(Protocol):
    """What a directory needs of the database: fresh sessions (``otbill.storage.Database``)."""

    def session(self) -> Session: ...


@dataclass(frozen=True, slots=True)
class ClinicRef:
    id: int
    code: str


@dataclass(frozen=True, slots=True)
class ClinicRecord:
    """A clinic as the billing entity: what a new one is created from."""

    code: str
    name: str
    npi: str
    tax_id: str
    taxonomy: str | None
    address: tuple[str, str, str, str]  # line 1, city, state, ZIP


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """One fee-schedule row: per unit of ``code``, for one payer (or all when ``payer_id`` is None)."""

    id: int
    payer_id: int | None
    code: str
    effective_from: dt.date
    charge_cents: int
    allowed_cents: int


class ClinicDirectory:
    """Every clinic of the database, looked up by code; each question in its own short session."""

    def __init__(self, db: SessionSource) -> None:
        self._db = db

    def by_code(self, code: str) -> int | None:
        """The id of the clinic with exactly this code (served by its unique index), else None."""
        with self._db.session() as session:
            return session.scalar(select(ClinicRow.id).where(ClinicRow.code == code))

    def all(self) -> list[ClinicRef]:
        """Every clinic, oldest first."""
        with self._db.session() as session:
            rows = session.execute(select(ClinicRow.id, ClinicRow.code).order_by(ClinicRow.id))
            return [ClinicRef(cid, code) for cid, code in rows]

    def create(self, clinic: ClinicRecord) -> int:
        """A new clinic with an empty audit chain, in one transaction; returns its id."""
        line1, city, state, zip_code = clinic.address
        row = ClinicRow(
            code=clinic.code,
            name=clinic.name,
            npi=clinic.npi,
            tax_id=clinic.tax_id,
            taxonomy=clinic.taxonomy,
            address_line1=line1,
            city=city,
            state=state,
            zip=zip_code,
        )
        with self._db.session() as session, session.begin():
            session.add(row)
            session.flush()
            session.add(AuditHeadRow(clinic_id=row.id, seq=0, hash="0" * 64))
        return row.id


class ClinicRepository(ClinicScoped):
    """The unit of work's own clinic and its reference rows: providers, payers, fees, overhead.

    Writes take plain values (the table's columns) and return the new row's id; a broken
    constraint is a :class:`ConstraintViolation` at once.
    """

    def _add(self, row: ClinicOwned) -> int:
        row.clinic_id = self.clinic_id
        self.session.add(row)
        flush(self.session)
        return row.id

    def add_provider(self, values: Mapping[str, Any]) -> int:
        return self._add(ProviderRow(**values))

    def add_payer(self, values: Mapping[str, Any]) -> int:
        return self._add(PayerRow(**values))

    def add_fee(self, values: Mapping[str, Any]) -> int:
        return self._add(FeeScheduleRow(**values))

    def add_overhead(self, values: Mapping[str, Any]) -> int:
        return self._add(OverheadCostRow(**values))

    def code(self) -> str:
        """This clinic's code (:class:`NotFound` when the clinic does not exist)."""
        code = self.session.scalar(select(ClinicRow.code).where(ClinicRow.id == self.clinic_id))
        if code is None:
            raise NotFound("clinic", self.clinic_id)
        return code

    def fee_list(self, limit: int) -> list[FeeEntry]:
        """The fee schedule by code, newest first, at most ``limit`` rows."""
        query = (
            select(FeeScheduleRow)
            .where(FeeScheduleRow.clinic_id == self.clinic_id)
            .order_by(FeeScheduleRow.code, FeeScheduleRow.effective_from.desc(), FeeScheduleRow.id)
            .limit(limit)
        )
        return [
            FeeEntry(f.id, f.payer_id, f.code, f.effective_from, f.charge_cents, f.allowed_cents)
            for f in self.session.scalars(query)
        ]
