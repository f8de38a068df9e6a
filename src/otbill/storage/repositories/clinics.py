"""The clinics: which exist and by what code (before anyone works inside one), and this clinic.

Two kinds of reads. :class:`ClinicDirectory` answers questions asked before a clinic is chosen
(logging in, ``--clinic DEMO`` on the command line, creating a clinic); it opens a short session of
its own per question. :class:`ClinicRepository` is the unit of work's view of its own clinic.
Named queries return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from otbill.domain.clinic_setup import Address, Location, OverheadEntry
from otbill.domain.record_errors import NotFound
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables import (
    AuditHeadRow,
    ClinicRow,
    FeeScheduleRow,
    OverheadCostRow,
    PayerRow,
    ProviderRow,
    UserRoleRow,
    UserRow,
)
from otbill.storage.tables.base import ClinicOwned
from otbill.storage.tables.schedule import AppointmentRow
from otbill.storage.tables.setup import LocationRow

__all__ = [
    "ClinicDirectory",
    "ClinicRecord",
    "ClinicRef",
    "ClinicRepository",
    "FeeEntry",
    "FirstAdmin",
    "FirstRunDone",
    "SessionSource",
]


class SessionSource(Protocol):
    """What a directory needs of the database: fresh sessions over every clinic, since it answers
    before a clinic is known (``otbill.storage.Database``; row-level security's ``ALL_CLINICS``)."""

    def all_clinics(self) -> Session: ...


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
    pay_to: tuple[str, str, str, str] | None = None  # where payments go, when elsewhere


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    """The clinic's first user, created with it: an admin (the password only as its hash)."""

    username: str
    full_name: str
    password_hash: str


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """One fee-schedule row: per unit of ``code``, for one payer (or all when ``payer_id`` is None)."""

    id: int
    payer_id: int | None
    code: str
    effective_from: dt.date
    charge_cents: int
    allowed_cents: int


def _location(r: LocationRow) -> Location:
    address = Address(r.address_line1, r.city, r.state, r.zip)
    return Location(r.id, r.name, address, r.place_of_service, r.active)


class FirstRunDone(Exception):
    """A first run was asked for, but a clinic exists already."""


def _add_admin(session: Session, clinic_id: int, admin: FirstAdmin) -> int:
    user = UserRow(
        clinic_id=clinic_id,
        username=admin.username,
        full_name=admin.full_name,
        password_hash=admin.password_hash,
        active=True,
    )
    session.add(user)
    session.flush()
    session.add(UserRoleRow(clinic_id=clinic_id, user_id=user.id, role="admin"))
    return user.id


class ClinicDirectory:
    """Every clinic of the database, looked up by code; each question in its own short session."""

    def __init__(self, db: SessionSource) -> None:
        self._db = db

    def by_code(self, code: str) -> int | None:
        """The id of the clinic with exactly this code (served by its unique index), else None."""
        with self._db.all_clinics() as session:
            return session.scalar(select(ClinicRow.id).where(ClinicRow.code == code))

    def all(self) -> list[ClinicRef]:
        """Every clinic, oldest first."""
        with self._db.all_clinics() as session:
            rows = session.execute(select(ClinicRow.id, ClinicRow.code).order_by(ClinicRow.id))
            return [ClinicRef(cid, code) for cid, code in rows]

    def create(
        self, clinic: ClinicRecord, admin: FirstAdmin | None = None, *, only_if_none: bool = False
    ) -> tuple[int, int | None]:
        """A new clinic with an empty audit chain (and its first admin), in one transaction.

        Returns (clinic id, admin user id or None). ``only_if_none``: refuse (:class:`FirstRunDone`)
        when any clinic exists already, checked in the same transaction.
        """
        line1, city, state, zip_code = clinic.address
        pay_line1, pay_city, pay_state, pay_zip = clinic.pay_to or (None, None, None, None)
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
            pay_to_line1=pay_line1,
            pay_to_city=pay_city,
            pay_to_state=pay_state,
            pay_to_zip=pay_zip,
        )
        with self._db.all_clinics() as session, session.begin():
            if only_if_none and session.scalar(select(ClinicRow.id).limit(1)) is not None:
                raise FirstRunDone
            session.add(row)
            session.flush()
            session.add(AuditHeadRow(clinic_id=row.id, seq=0, hash="0" * 64))
            user_id = _add_admin(session, row.id, admin) if admin else None
        return row.id, user_id

    def any(self) -> bool:
        """Whether the database holds a clinic yet (a first run is due when not)."""
        with self._db.all_clinics() as session:
            return session.scalar(select(ClinicRow.id).limit(1)) is not None


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

    def overhead(self, limit: int) -> list[OverheadEntry]:
        """Overhead entries, newest month first then by category, at most ``limit``."""
        query = (
            select(OverheadCostRow)
            .where(OverheadCostRow.clinic_id == self.clinic_id)
            .order_by(OverheadCostRow.month.desc(), OverheadCostRow.category)
            .limit(limit)
        )
        return [
            OverheadEntry(o.id, o.month, o.category, o.amount_cents)
            for o in self.session.scalars(query)
        ]

    def add_location(self, location: Location) -> int:
        """A new service location (the id of ``location`` is ignored); returns the new id."""
        a = location.address
        return self._add(
            LocationRow(
                name=location.name,
                address_line1=a.line1,
                city=a.city,
                state=a.state,
                zip=a.zip,
                place_of_service=location.place_of_service,
                active=location.active,
            )
        )

    def set_location_active(self, location_id: int, active: bool) -> Location:
        """Take a location out of use or back into it; returns it as it was before."""
        row = fetch(self.session, LocationRow, self.clinic_id, location_id)
        before = _location(row)
        row.active = active
        flush(self.session)
        return before

    def locations(self) -> list[Location]:
        """The clinic's service locations, by name (a handful: unique (clinic_id, name))."""
        query = (
            select(LocationRow)
            .where(LocationRow.clinic_id == self.clinic_id)
            .order_by(LocationRow.name)
        )
        return [_location(r) for r in self.session.scalars(query)]

    def visit_locations(self, visit_ids: Iterable[int] | None) -> dict[int, Location]:
        """Where each visit was furnished: the location of the appointment whose check-in made
        it (visits recorded without an appointment have none); the appointment's visit link."""
        query = (
            select(AppointmentRow.visit_id, LocationRow)
            .join(LocationRow, LocationRow.id == AppointmentRow.location_id)
            .where(AppointmentRow.clinic_id == self.clinic_id, AppointmentRow.visit_id.is_not(None))
        )
        if visit_ids is not None:
            query = query.where(AppointmentRow.visit_id.in_(list(visit_ids)))
        return {visit_id: _location(row) for visit_id, row in self.session.execute(query)}

    def identity(self) -> ClinicRecord:
        """This clinic as the billing entity, pay-to address included (primary key)."""
        row = self.session.get(ClinicRow, self.clinic_id)
        if row is None:
            raise NotFound("clinic", self.clinic_id)
        pay = (row.pay_to_line1, row.pay_to_city, row.pay_to_state, row.pay_to_zip)
        return ClinicRecord(
            row.code, row.name, row.npi, row.tax_id, row.taxonomy,
            (row.address_line1, row.city, row.state, row.zip),
            pay if row.pay_to_line1 else None,  # type: ignore[arg-type]
        )  # fmt: skip

    def change_identity(self, clinic: ClinicRecord) -> None:
        """Replace name, NPI, tax ID, taxonomy and addresses (the code stays: logins use it)."""
        row = self.session.get(ClinicRow, self.clinic_id, with_for_update=True)
        if row is None:
            raise NotFound("clinic", self.clinic_id)
        row.name, row.npi, row.tax_id, row.taxonomy = (
            clinic.name,
            clinic.npi,
            clinic.tax_id,
            clinic.taxonomy,
        )
        row.address_line1, row.city, row.state, row.zip = clinic.address
        pay = clinic.pay_to or (None, None, None, None)
        row.pay_to_line1, row.pay_to_city, row.pay_to_state, row.pay_to_zip = pay
        flush(self.session)

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

    def publishes_prices(self) -> bool:
        """Whether the clinic's price list is public at /prices (migration 0019)."""
        query = select(ClinicRow.publish_prices).where(ClinicRow.id == self.clinic_id)
        return bool(self.session.scalar(query))

    def set_publishes_prices(self, publish: bool) -> bool:
        """Publish or hide the price list; returns the setting as it was before."""
        row = self.session.get(ClinicRow, self.clinic_id, with_for_update=True)
        if row is None:
            raise NotFound("clinic", self.clinic_id)
        before = bool(row.publish_prices)
        row.publish_prices = publish
        flush(self.session)
        return before
