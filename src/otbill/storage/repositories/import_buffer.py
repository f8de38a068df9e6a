"""Repositories for a large import: the same reads and writes the front desk's services call,
answered from memory and written in bulk at the end.

Why: registering 5,000 patients one by one costs three statements a patient (the last account
number, the namesake check, the insert), about 2 ms each. The import still calls the services
(every check is theirs); these subclasses answer the services' reads from an index loaded once
and kept current, and hold the new rows, with ids reserved up front, for one bulk INSERT each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select, text

from otbill.domain.care import Coverage
from otbill.domain.parties import Patient, Payer
from otbill.domain.registration import CoverageTerms, Registration
from otbill.storage.bulk_rows import SEQUENCE_OF, write_rows
from otbill.storage.repositories.patients import PatientRepository
from otbill.storage.repositories.payers import PayerRepository
from otbill.storage.repositories.registration_rows import registration_values, terms_values
from otbill.storage.repositories.rows import flush, values_of
from otbill.storage.tables import CoverageRow, PatientRow
from otbill.storage.tables.base import ClinicOwned

__all__ = ["BufferedPatients", "CachedPayers"]

_RESERVE = 1000
_Key = tuple[str, str, dt.date]


def _key(first_name: str, last_name: str, dob: dt.date) -> _Key:
    return (first_name.strip().lower(), last_name.strip().lower(), dob)


class BufferedPatients(PatientRepository):
    """Patients and coverages of one import: reads from memory, new rows written by
    :meth:`write_buffered` (patients first, then the coverages that refer to them)."""

    def __init__(self, session: Any, clinic_id: int) -> None:
        super().__init__(session, clinic_id)
        self._patients: dict[int, Patient] | None = None
        self._named: dict[_Key, list[Patient]] = defaultdict(list)
        self._coverages: dict[int, list[Coverage]] | None = None
        self._new_coverages: list[Coverage] = []
        self._last_account: str | None = None
        self._account_known = False
        self._rows: dict[type[ClinicOwned], list[dict[str, Any]]] = defaultdict(list)
        self._free_ids: dict[type[ClinicOwned], list[int]] = defaultdict(list)
        self._next_sqlite_id: dict[type[ClinicOwned], int] = {}

    def _loaded(self) -> dict[int, Patient]:
        if self._patients is None:
            self._patients = {p.id: p for p in super().by_ids(None)}
            for p in self._patients.values():
                self._named[_key(p.first_name, p.last_name, p.dob)].append(p)
        return self._patients

    def _reserve(self, model: type[ClinicOwned]) -> int:
        """The next id of ``model``'s table, reserved: from the PostgreSQL sequence (a thousand
        at a time), or on SQLite one past the highest (the write lock is ours from the first
        write of the import's transaction)."""
        free = self._free_ids[model]
        if not free:
            table = model.__tablename__  # type: ignore[attr-defined]
            if self.session.get_bind().dialect.name == "postgresql":
                query = text(f"SELECT nextval({SEQUENCE_OF}) FROM generate_series(1, :n)")
                free += self.session.scalars(query, {"table": table, "n": _RESERVE}).all()
            else:
                start = self._next_sqlite_id.get(model)
                if start is None:
                    start = (self.session.scalar(select(func.max(model.id))) or 0) + 1
                free += range(start, start + _RESERVE)
                self._next_sqlite_id[model] = start + _RESERVE
            free.reverse()
        return free.pop()

    def get(self, patient_id: int) -> Patient:
        found = self._loaded().get(patient_id)
        return found if found is not None else super().get(patient_id)

    def last_account_number(self, *, to_add_one: bool = False) -> str | None:
        if not self._account_known:  # locked once: the import is one transaction
            found = super().last_account_number(to_add_one=to_add_one)
            self._last_account, self._account_known = found, True
        return self._last_account

    def named(self, first_name: str, last_name: str, dob: dt.date) -> list[Patient]:
        self._loaded()
        return list(self._named.get(_key(first_name, last_name, dob), []))

    def register(self, patient: Patient, registration: Registration) -> int:
        new = replace(patient, id=self._reserve(PatientRow))
        values = values_of(patient) | registration_values(registration)
        self._rows[PatientRow].append({**values, "id": new.id, "clinic_id": self.clinic_id})
        self._loaded()[new.id] = new
        self._named[_key(new.first_name, new.last_name, new.dob)].append(new)
        if registration.account_number is not None:
            self._last_account = max(self._last_account or "", registration.account_number)
        return new.id

    def coverages(self, patient_ids: Iterable[int] | None) -> list[Coverage]:
        if patient_ids is None:
            return super().coverages(None) + list(self._new_coverages)
        if self._coverages is None:
            self._coverages = defaultdict(list)
            for c in super().coverages(None):
                self._coverages[c.patient_id].append(c)
        return [c for pid in patient_ids for c in self._coverages.get(pid, [])]

    def add_coverage_with_terms(self, coverage: Coverage, terms: CoverageTerms) -> int:
        self.coverages([coverage.patient_id])  # the index is loaded before it is added to
        new = replace(coverage, id=self._reserve(CoverageRow))
        values = values_of(coverage) | terms_values(terms)
        self._rows[CoverageRow].append({**values, "id": new.id, "clinic_id": self.clinic_id})
        assert self._coverages is not None
        self._coverages[new.patient_id].append(new)
        self._new_coverages.append(new)
        return new.id

    def write_buffered(self) -> int:
        """Insert the rows held (patients, then coverages); returns how many."""
        flush(self.session)  # rows they refer to (and the ORM's own) go first
        written = 0
        for model in (PatientRow, CoverageRow):
            rows = self._rows.pop(model, [])
            write_rows(self.session, model, rows)
            if model is CoverageRow:
                self._new_coverages.clear()  # in the table now: read from there
            written += len(rows)
        flush(self.session)
        return written


class CachedPayers(PayerRepository):
    """The clinic's payers (a handful), read once."""

    def __init__(self, session: Any, clinic_id: int) -> None:
        super().__init__(session, clinic_id)
        self._all: list[Payer] | None = None

    def all(self) -> list[Payer]:
        if self._all is None:
            self._all = super().all()
        return list(self._all)

    def get(self, payer_id: int) -> Payer:
        found = [p for p in self.all() if p.id == payer_id]
        return found[0] if found else super().get(payer_id)

    def by_code(self, payer_code: str) -> Payer | None:
        found = [p for p in self.all() if p.payer_code == payer_code]
        return found[0] if found else super().by_code(payer_code)
