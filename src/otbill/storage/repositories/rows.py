"""What the named repositories share below their names: clinic-scoped selects, fetch-or-NotFound,
and ORM rows turned into the domain records services read (rows never leave ``otbill.storage``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Select, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from otbill.domain.care import Authorization, Coverage, PlanOfCare, Visit, VisitLine
from otbill.domain.charges import Fee
from otbill.domain.parties import Clinic, Patient, Payer, Provider
from otbill.domain.record_errors import NotFound, StaleRecord
from otbill.storage.errors import translate_integrity_error
from otbill.storage.tables import (
    AuthorizationRow,
    ClinicRow,
    CoverageRow,
    FeeScheduleRow,
    PatientRow,
    PayerRow,
    PlanOfCareRow,
    ProviderRow,
    ServiceLineRow,
    VisitRow,
)
from otbill.storage.tables.base import ClinicOwned

__all__ = [
    "among",
    "as_authorization",
    "as_clinic",
    "as_coverage",
    "as_fee",
    "as_patient",
    "as_payer",
    "as_plan",
    "as_provider",
    "as_visit",
    "as_visit_line",
    "fetch",
    "flush",
    "hold_sqlite_write_lock",
    "scoped",
    "set_given",
    "values_of",
]

R = TypeVar("R", bound=ClinicOwned)


def scoped(model: type[R], clinic_id: int) -> Select[tuple[R]]:
    """``SELECT model`` of one clinic: where every named query starts."""
    return select(model).where(model.clinic_id == clinic_id)


def among(
    session: Session, model: type[R], clinic_id: int, column: Any, ids: Iterable[int] | None
) -> list[R]:
    """The clinic's rows whose ``column`` is one of ``ids`` (all of them when None), by id."""
    query = scoped(model, clinic_id)
    if ids is not None:
        query = query.where(column.in_(list(ids)))
    return list(session.scalars(query.order_by(model.id)))


def fetch(
    session: Session, model: type[R], clinic_id: int, row_id: int, *, for_update: bool = False
) -> R:
    """The row of this clinic with this id (locked when asked), or :class:`NotFound`."""
    query = scoped(model, clinic_id).where(model.id == row_id)
    if for_update:
        query = query.with_for_update()
        hold_sqlite_write_lock(session, model.__tablename__)  # type: ignore[attr-defined]
    row = session.scalars(query).one_or_none()
    if row is None:
        raise NotFound(getattr(model, "__tablename__", model.__name__), row_id)
    return row


def hold_sqlite_write_lock(session: Session, table: str) -> None:
    """SQLite ignores FOR UPDATE: take its one write lock now (an UPDATE that matches no row), so
    a second writer waits here, as on PostgreSQL, and then reads what the first one committed
    instead of losing an optimistic-lock race later (two approvers: issue 11, item 22)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"UPDATE {table} SET id = id WHERE 0"))


def values_of(record: Any, *leave_out: str) -> dict[str, Any]:
    """A record's fields as column values for a new row (without its id, not yet given, and the
    fields named in ``leave_out``); tuples become lists, as JSON columns store them."""
    values = {}
    for f in fields(record):
        if f.name != "id" and f.name not in leave_out:
            value = getattr(record, f.name)
            values[f.name] = list(value) if isinstance(value, tuple) else value
    return values


def set_given(row: R, values: Mapping[str, object]) -> R:
    """Set on ``row`` the values given (not None): a named write's "leave the rest as it is"."""
    for name, value in values.items():
        if value is not None:
            setattr(row, name, value)
    return row


def flush(session: Session) -> None:
    """Write pending changes now (inside the transaction), as domain errors if refused: a
    broken constraint (:class:`ConstraintViolation`), a lost optimistic-lock race
    (:class:`StaleRecord`)."""
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise translate_integrity_error(error) from error
    except StaleDataError as error:
        session.rollback()
        raise StaleRecord(f"another user changed the record first: {error}") from error


def as_clinic(r: ClinicRow) -> Clinic:
    return Clinic(r.id, r.code, r.name, r.npi, r.tax_id, r.taxonomy, r.address_line1, r.city,
                  r.state, r.zip)  # fmt: skip


def as_patient(r: PatientRow) -> Patient:
    return Patient(r.id, r.mrn, r.first_name, r.last_name, r.dob, r.sex, r.address_line1,
                   r.city, r.state, r.zip)  # fmt: skip


def as_payer(r: PayerRow) -> Payer:
    return Payer(r.id, r.payer_code, r.name, r.profile)


def as_provider(r: ProviderRow) -> Provider:
    return Provider(r.id, r.npi, r.first_name, r.last_name, r.credential, r.taxonomy,
                    r.supervisor_id, r.user_id)  # fmt: skip


def as_coverage(r: CoverageRow) -> Coverage:
    return Coverage(
        id=r.id,
        patient_id=r.patient_id,
        payer_id=r.payer_id,
        member_id=r.member_id,
        relationship=r.relationship,
        subscriber=dict(r.subscriber) if r.subscriber else None,
        network=r.network,
        priority=r.priority,
        effective_from=r.effective_from,
        effective_to=r.effective_to,
        group_number=r.group_number,
        eligibility_verified_on=r.eligibility_verified_on,
        eligibility_active=r.eligibility_active,
    )


def as_plan(r: PlanOfCareRow) -> PlanOfCare:
    return PlanOfCare(r.id, r.patient_id, r.certifying_npi, r.certifying_first_name,
                      r.certifying_last_name, r.start, r.certified_on, r.recert_due,
                      tuple(r.diagnoses), r.goals, r.frequency_per_week,
                      r.duration_weeks)  # fmt: skip


def as_authorization(r: AuthorizationRow) -> Authorization:
    return Authorization(r.id, r.coverage_id, r.number, r.start_date, r.end_date,
                         r.visits_authorized, r.units_authorized, r.status,
                         tuple(r.codes or ()))  # fmt: skip


def as_visit(r: VisitRow) -> Visit:
    return Visit(r.id, r.patient_id, r.coverage_id, r.provider_id, r.plan_of_care_id,
                 r.authorization_id, r.date, r.place_of_service, r.telehealth)  # fmt: skip


def as_visit_line(r: ServiceLineRow) -> VisitLine:
    return VisitLine(r.id, r.visit_id, r.position, r.code, r.minutes, r.units, r.modifiers,
                     r.distinct_service)  # fmt: skip


def as_fee(r: FeeScheduleRow) -> Fee:
    return Fee(r.payer_id, r.code, r.effective_from, r.charge_cents, r.allowed_cents)
