"""Patients and what governs their care: coverage, plans of care, prior authorizations.

Reads return domain records (:mod:`otbill.domain.parties`, :mod:`otbill.domain.care`); writes take
the same records (id 0, not given yet) and return the new record's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

from otbill.domain.care import Authorization, Coverage, PlanOfCare
from otbill.domain.parties import Patient
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import (
    among,
    as_authorization,
    as_coverage,
    as_patient,
    as_plan,
    fetch,
    flush,
    scoped,
    values_of,
)
from otbill.storage.tables import AuthorizationRow, CoverageRow, PatientRow, PlanOfCareRow
from otbill.storage.tables.base import ClinicOwned

__all__ = ["PatientRepository"]


class PatientRepository(ClinicScoped):
    """Patients and what governs their care: coverage, plans of care, prior authorizations."""

    def _add(self, model: type[ClinicOwned], record: object) -> int:
        row = model(**values_of(record))
        row.clinic_id = self.clinic_id
        self.session.add(row)
        flush(self.session)
        return row.id

    def get(self, patient_id: int) -> Patient:
        """The patient (:class:`NotFound` when not this clinic's); primary key."""
        return as_patient(fetch(self.session, PatientRow, self.clinic_id, patient_id))

    def by_ids(self, patient_ids: Iterable[int] | None) -> list[Patient]:
        """These patients (or the clinic's), by id; primary key."""
        rows = among(self.session, PatientRow, self.clinic_id, PatientRow.id, patient_ids)
        return [as_patient(p) for p in rows]

    def add(self, patient: Patient) -> int:
        """A new patient (its ``id`` is ignored); returns its id."""
        return self._add(PatientRow, patient)

    # --- coverage ---------------------------------------------------------------------------

    def coverage(self, coverage_id: int) -> Coverage:
        """The coverage (:class:`NotFound` when not this clinic's); primary key."""
        return as_coverage(fetch(self.session, CoverageRow, self.clinic_id, coverage_id))

    def coverages(self, patient_ids: Iterable[int] | None) -> list[Coverage]:
        """Every coverage of these patients (or the clinic's); the coverage patient index."""
        column = CoverageRow.patient_id
        rows = among(self.session, CoverageRow, self.clinic_id, column, patient_ids)
        return [as_coverage(c) for c in rows]

    def add_coverage(self, coverage: Coverage) -> int:
        """A new coverage (its ``id`` is ignored); returns its id."""
        return self._add(CoverageRow, coverage)

    # --- plans of care ----------------------------------------------------------------------

    def plan(self, plan_id: int) -> PlanOfCare:
        """The plan of care (:class:`NotFound` when not this clinic's); primary key."""
        return as_plan(fetch(self.session, PlanOfCareRow, self.clinic_id, plan_id))

    def plans(self, patient_ids: Iterable[int] | None) -> list[PlanOfCare]:
        """Every plan of care of these patients (or the clinic's); the plan's patient index."""
        column = PlanOfCareRow.patient_id
        rows = among(self.session, PlanOfCareRow, self.clinic_id, column, patient_ids)
        return [as_plan(p) for p in rows]

    def plan_on(self, patient_id: int, on: dt.date) -> PlanOfCare | None:
        """The plan of care in force on ``on``: the latest started by then; patient index."""
        query = scoped(PlanOfCareRow, self.clinic_id).where(
            PlanOfCareRow.patient_id == patient_id, PlanOfCareRow.start <= on
        )
        row = self.session.scalars(query.order_by(PlanOfCareRow.start.desc()).limit(1)).first()
        return as_plan(row) if row else None

    def add_plan(self, plan: PlanOfCare) -> int:
        """A new plan of care (its ``id`` is ignored); returns its id."""
        return self._add(PlanOfCareRow, plan)

    # --- prior authorizations ---------------------------------------------------------------

    def authorization(self, authorization_id: int) -> Authorization:
        """The authorization (:class:`NotFound` when not this clinic's); primary key."""
        row = fetch(self.session, AuthorizationRow, self.clinic_id, authorization_id)
        return as_authorization(row)

    def authorization_on(self, coverage_id: int, on: dt.date) -> Authorization | None:
        """An authorization of the coverage in force on ``on``; the coverage index."""
        query = scoped(AuthorizationRow, self.clinic_id).where(
            AuthorizationRow.coverage_id == coverage_id,
            AuthorizationRow.start_date <= on,
            AuthorizationRow.end_date >= on,
        )
        row = self.session.scalars(query.order_by(AuthorizationRow.id).limit(1)).first()
        return as_authorization(row) if row else None

    def authorizations(
        self, *, coverage_ids: Iterable[int] | None = None, patient_id: int | None = None
    ) -> list[Authorization]:
        """Authorizations of these coverages, or of one patient, or all, by end date; the
        authorizations' coverage index."""
        query = scoped(AuthorizationRow, self.clinic_id)
        if coverage_ids is not None:
            query = query.where(AuthorizationRow.coverage_id.in_(list(coverage_ids)))
        if patient_id is not None:
            of_patient = select(CoverageRow.id).where(CoverageRow.patient_id == patient_id)
            query = query.where(AuthorizationRow.coverage_id.in_(of_patient))
        query = query.order_by(AuthorizationRow.end_date, AuthorizationRow.id)
        return [as_authorization(a) for a in self.session.scalars(query)]

    def add_authorization(self, authorization: Authorization) -> int:
        """A new prior authorization (its ``id`` is ignored); returns its id."""
        return self._add(AuthorizationRow, authorization)
