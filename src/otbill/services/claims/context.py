"""Everything the scrubber needs about a claim, read from the records in a few bulk queries.

Why a snapshot: building thousands of claims must not cost a query per claim per fact. The
snapshot loads the clinic's (or some patients') coverage, plans of care, authorizations, visits,
notes and already-billed lines once; the claim builder and the re-scrub then assemble each
scrubber :class:`~otbill.domain.claim.Claim` from it in memory.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select

from otbill.domain.claim import HistoryLine
from otbill.domain.notes import VisitNote
from otbill.services.visits.record import note_from_rows
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    AuthorizationRow,
    ClaimLineRow,
    ClaimRow,
    ClinicRow,
    CoverageRow,
    FeeScheduleRow,
    NoteAmendmentRow,
    NoteRow,
    PatientRow,
    PayerRow,
    PlanOfCareRow,
    ProviderRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = ["BilledLine", "Snapshot", "load_snapshot"]

_REPORTS = ("evaluation", "re-evaluation", "progress")


@dataclass(frozen=True, slots=True)
class BilledLine:
    """A line already on a claim (for history, duplicates and year-to-date allowed)."""

    claim_id: int
    claim_number: str
    payer_id: int
    date: dt.date
    code: str
    units: int
    rendering_provider_id: int
    charge_cents: int
    allowed_cents: int


@dataclass
class Snapshot:
    clinic: ClinicRow
    patients: dict[int, PatientRow]
    coverages: dict[int, CoverageRow]
    payers: dict[int, PayerRow]
    providers: dict[int, ProviderRow]
    plans: dict[int, PlanOfCareRow]
    auths: dict[int, AuthorizationRow]
    visits: dict[int, VisitRow]
    lines_by_visit: dict[int, list[ServiceLineRow]]
    notes: dict[int, VisitNote]  # by visit id
    fees: dict[tuple[int | None, str], list[FeeScheduleRow]]
    billed: dict[int, list[BilledLine]] = field(default_factory=lambda: defaultdict(list))
    numbers: set[str] = field(default_factory=set)
    history_cache: dict[int, HistoryLine] = field(default_factory=dict)  # by id(BilledLine)
    ytd_cache: dict[tuple[int, int, str, dt.date], int] = field(default_factory=dict)
    _plan_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    _report_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    _auth_dates: dict[int, list[dt.date]] = field(default_factory=dict)

    def index_visits(self) -> None:
        plan, report, auth = defaultdict(list), defaultdict(list), defaultdict(list)
        for v in self.visits.values():
            if v.plan_of_care_id is not None:
                plan[v.plan_of_care_id].append(v.date)
                note = self.notes.get(v.id)
                if note is not None and note.note_type.value in _REPORTS:
                    report[v.plan_of_care_id].append(v.date)
            if v.authorization_id is not None:
                auth[v.authorization_id].append(v.date)
        self._plan_dates = {k: sorted(d) for k, d in plan.items()}
        self._report_dates = {k: sorted(d) for k, d in report.items()}
        self._auth_dates = {k: sorted(d) for k, d in auth.items()}

    def visit_number(self, plan_id: int, on: dt.date) -> int:
        """This visit's number in the plan of care (1 = the evaluation)."""
        return bisect.bisect_right(self._plan_dates.get(plan_id, []), on)

    def last_report_visit(self, plan_id: int, on: dt.date) -> int:
        """The visit number of the latest evaluation or progress report on or before ``on``."""
        reports = self._report_dates.get(plan_id, [])
        i = bisect.bisect_right(reports, on)
        return self.visit_number(plan_id, reports[i - 1]) if i else 0

    def auth_visits_before(self, auth_id: int, on: dt.date) -> int:
        return bisect.bisect_left(self._auth_dates.get(auth_id, []), on)

    def fee(self, payer_id: int, code: str, on: dt.date) -> FeeScheduleRow | None:
        for key in ((payer_id, code), (None, code)):
            rows = [r for r in self.fees.get(key, []) if r.effective_from <= on]
            if rows:
                return rows[-1]
        return None


def _in(column: Any, ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    return [] if ids is None else [column.in_(list(ids))]


def _load_billed(uow: UnitOfWork, snap: Snapshot, patient_ids: set[int] | None) -> None:
    query = (
        select(ClaimLineRow, ClaimRow.number, ClaimRow.payer_id, ClaimRow.patient_id)
        .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
        .where(
            ClaimRow.clinic_id == uow.clinic_id,
            ClaimRow.frequency_code != "8",
            *_in(ClaimRow.patient_id, patient_ids),
        )
    )
    for line, number, payer_id, patient_id in uow.session.execute(query):
        snap.billed[patient_id].append(
            BilledLine(
                line.claim_id,
                number,
                payer_id,
                line.date,
                line.code,
                line.units,
                line.rendering_provider_id,
                line.charge_cents,
                line.allowed_cents,
            )
        )
    snap.numbers.update(
        uow.session.scalars(
            select(ClaimRow.number).where(
                ClaimRow.clinic_id == uow.clinic_id, *_in(ClaimRow.patient_id, patient_ids)
            )
        )
    )


def load_snapshot(uow: UnitOfWork, patient_ids: Iterable[int] | None = None) -> Snapshot:
    """The records of the given patients (or the whole clinic), for assembling claims."""
    pids = set(patient_ids) if patient_ids is not None else None
    rec = uow.records
    visits = {v.id: v for v in rec.find(VisitRow, *_in(VisitRow.patient_id, pids))}
    lines: dict[int, list[ServiceLineRow]] = defaultdict(list)
    for line in rec.find(
        ServiceLineRow,
        *_in(ServiceLineRow.visit_id, visits if pids else None),
        order=ServiceLineRow.position,
    ):
        lines[line.visit_id].append(line)
    amend: dict[int, list[NoteAmendmentRow]] = defaultdict(list)
    for a in rec.find(NoteAmendmentRow):
        amend[a.note_id].append(a)
    notes = {
        n.visit_id: note_from_rows(n, lines[n.visit_id], amend[n.id])
        for n in rec.find(NoteRow, *_in(NoteRow.visit_id, visits if pids else None))
    }
    coverages = {c.id: c for c in rec.find(CoverageRow, *_in(CoverageRow.patient_id, pids))}
    fees: dict[tuple[int | None, str], list[FeeScheduleRow]] = defaultdict(list)
    for fee in rec.find(FeeScheduleRow, order=FeeScheduleRow.effective_from):
        fees[(fee.payer_id, fee.code)].append(fee)
    snap = Snapshot(
        clinic=uow.session.get_one(ClinicRow, uow.clinic_id),
        patients={p.id: p for p in rec.find(PatientRow, *_in(PatientRow.id, pids))},
        coverages=coverages,
        payers={p.id: p for p in rec.find(PayerRow)},
        providers={p.id: p for p in rec.find(ProviderRow)},
        plans={p.id: p for p in rec.find(PlanOfCareRow, *_in(PlanOfCareRow.patient_id, pids))},
        auths={
            a.id: a
            for a in rec.find(AuthorizationRow, *_in(AuthorizationRow.coverage_id, coverages))
        },
        visits=visits,
        lines_by_visit=lines,
        notes=notes,
        fees=fees,
    )
    snap.index_visits()
    _load_billed(uow, snap, pids)
    return snap
