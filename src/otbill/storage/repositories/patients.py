"""Patients and what governs their care: coverage and plans of care (prior authorizations:
:mod:`otbill.storage.repositories.authorizations`).

Reads return domain records (:mod:`otbill.domain.parties`, :mod:`otbill.domain.care`); writes take
the same records (id 0, not given yet) and return the new record's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from otbill.domain.care import Coverage, PlanOfCare
from otbill.domain.parties import Patient
from otbill.domain.registration import CoverageTerms, Registration
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.documents import DocumentRepository
from otbill.storage.repositories.registration_rows import (
    as_registration,
    as_terms,
    registration_values,
    terms_values,
)
from otbill.storage.repositories.rows import (
    among,
    as_coverage,
    as_patient,
    as_plan,
    fetch,
    flush,
    hold_sqlite_write_lock,
    scoped,
    values_of,
)
from otbill.storage.tables import (
    ClaimRow,
    ClinicRow,
    CoverageRow,
    PatientRow,
    PlanOfCareRow,
)
from otbill.storage.tables.base import ClinicOwned

__all__ = ["PatientRepository"]


class PatientRepository(ClinicScoped):
    """Patients and what governs their care: coverage, plans of care, prior authorizations."""

    def _add(self, model: type[ClinicOwned], record: object) -> int:
        return self._add_values(model, values_of(record))

    def _add_values(self, model: type[ClinicOwned], values: dict[str, object]) -> int:
        row = model(**values)
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

    @property
    def documents(self) -> DocumentRepository:
        """The patients' attached documents (card images, referrals, consents)."""
        return DocumentRepository(self.session, self.clinic_id)

    # --- registration -----------------------------------------------------------------------

    def registration(self, patient_id: int) -> Registration:
        """The patient's registration facts (:class:`NotFound` when not this clinic's)."""
        return as_registration(fetch(self.session, PatientRow, self.clinic_id, patient_id))

    def register(self, patient: Patient, registration: Registration) -> int:
        """A new patient with its registration (the ``id`` is ignored); returns its id."""
        values = values_of(patient) | registration_values(registration)
        return self._add_values(PatientRow, values)

    def change(self, patient: Patient, registration: Registration) -> None:
        """Replace the patient's demographics and registration (the MRN and account stay)."""
        row = fetch(self.session, PatientRow, self.clinic_id, patient.id, for_update=True)
        values = values_of(patient, "mrn") | registration_values(registration)
        values["account_number"] = row.account_number or registration.account_number
        for name, value in values.items():
            setattr(row, name, value)
        flush(self.session)

    def last_account_number(self, *, to_add_one: bool = False) -> str | None:
        """The clinic's highest account number (they are zero-padded, so text order works).

        ``to_add_one``: the caller will register the next number in this transaction, so two
        clerks registering at once are serialised (the clinic's row locked on PostgreSQL, the
        write lock taken on SQLite): the second reads the first one's number, never the same."""
        if to_add_one:
            lock = select(ClinicRow.id).where(ClinicRow.id == self.clinic_id).with_for_update()
            self.session.execute(lock)
            hold_sqlite_write_lock(self.session, "patient")
        query = select(func.max(PatientRow.account_number)).where(
            PatientRow.clinic_id == self.clinic_id
        )
        return self.session.scalar(query)

    def named(self, first_name: str, last_name: str, dob: dt.date) -> list[Patient]:
        """Patients with this name (any case) and birth date; the patient name index."""
        query = scoped(PatientRow, self.clinic_id).where(
            func.lower(PatientRow.last_name) == last_name.strip().lower(),
            func.lower(PatientRow.first_name) == first_name.strip().lower(),
            PatientRow.dob == dob,
        )
        return [as_patient(r) for r in self.session.scalars(query.order_by(PatientRow.id))]

    def search(
        self, *, text: str = "", dob: dt.date | None = None, limit: int = 25, offset: int = 0
    ) -> tuple[list[Patient], int]:
        """One page of patients whose name starts with, or whose account number, MRN or a
        coverage's member ID equals ``text`` (any case), born on ``dob`` when given; by name.
        Returns the page and how many match in all."""
        query = scoped(PatientRow, self.clinic_id)
        if text.strip():
            query = query.where(_matching(text.strip().lower(), self.clinic_id))
        if dob is not None:
            query = query.where(PatientRow.dob == dob)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = (PatientRow.last_name, PatientRow.first_name, PatientRow.id)
        rows = self.session.scalars(query.order_by(*order).limit(limit).offset(offset))
        return [as_patient(r) for r in rows], total

    # --- coverage ---------------------------------------------------------------------------

    def coverage_terms(self, coverage_ids: Iterable[int]) -> dict[int, CoverageTerms]:
        """Plan name and cost sharing of these coverages, by coverage id; primary key."""
        rows = among(self.session, CoverageRow, self.clinic_id, CoverageRow.id, coverage_ids)
        return {r.id: as_terms(r) for r in rows}

    def add_coverage_with_terms(self, coverage: Coverage, terms: CoverageTerms) -> int:
        """A new coverage with its plan and cost sharing; returns its id."""
        return self._add_values(CoverageRow, values_of(coverage) | terms_values(terms))

    def end_coverage(self, coverage_id: int, last_day: dt.date) -> None:
        """The coverage ends on ``last_day`` (its other facts never change in place)."""
        row = fetch(self.session, CoverageRow, self.clinic_id, coverage_id, for_update=True)
        row.effective_to = last_day
        flush(self.session)

    def record_eligibility(self, coverage_id: int, on: dt.date, active: bool) -> None:
        """The latest eligibility check of the coverage: its date and whether it was active."""
        row = fetch(self.session, CoverageRow, self.clinic_id, coverage_id, for_update=True)
        row.eligibility_verified_on, row.eligibility_active = on, active
        flush(self.session)

    def last_billed_service(self, coverage_id: int) -> dt.date | None:
        """The latest date of service of a claim billed to the coverage; the claim coverage column."""
        query = select(func.max(ClaimRow.date_of_service)).where(
            ClaimRow.clinic_id == self.clinic_id, ClaimRow.coverage_id == coverage_id
        )
        return self.session.scalar(query)

    def coverage_billed(self, coverage_id: int) -> bool:
        """Whether a claim was billed to the coverage; the claim coverage column."""
        query = select(ClaimRow.id).where(
            ClaimRow.clinic_id == self.clinic_id, ClaimRow.coverage_id == coverage_id
        )
        return self.session.scalars(query.limit(1)).first() is not None

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


def _matching(text: str, clinic_id: int) -> Any:
    """Name starts with ``text`` (last, first or "last, first"), or an ID equals it."""
    last, _, first = (part.strip() for part in text.partition(","))
    by_name = func.lower(PatientRow.last_name).startswith(last, autoescape=True)
    if first:
        by_name = by_name & func.lower(PatientRow.first_name).startswith(first, autoescape=True)
    members = select(CoverageRow.patient_id).where(
        CoverageRow.clinic_id == clinic_id, func.lower(CoverageRow.member_id) == text
    )
    return (
        by_name
        | func.lower(PatientRow.first_name).startswith(text, autoescape=True)
        | (func.lower(PatientRow.account_number) == text)
        | (func.lower(PatientRow.mrn) == text)
        | PatientRow.id.in_(members)
    )
