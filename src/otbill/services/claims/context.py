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

from otbill.domain.authorizations import counts_toward, covering
from otbill.domain.care import Authorization, Coverage, PlanOfCare, Visit, VisitLine
from otbill.domain.charges import BilledLine, Fee
from otbill.domain.claim import HistoryLine
from otbill.domain.clinic_setup import Location
from otbill.domain.eligibility import StoredCheck
from otbill.domain.notes import VisitNote
from otbill.domain.parties import Clinic, Patient, Payer, Provider
from otbill.storage import UnitOfWork

__all__ = ["BilledLine", "Snapshot", "load_snapshot"]

_REPORTS = ("evaluation", "re-evaluation", "progress")


@dataclass
class Snapshot:
    clinic: Clinic
    patients: dict[int, Patient]
    coverages: dict[int, Coverage]
    payers: dict[int, Payer]
    providers: dict[int, Provider]
    plans: dict[int, PlanOfCare]
    auths: dict[int, Authorization]
    visits: dict[int, Visit]
    lines_by_visit: dict[int, list[VisitLine]]
    notes: dict[int, VisitNote]  # by visit id
    fees: dict[tuple[int | None, str], list[Fee]]
    billed: dict[int, list[BilledLine]] = field(default_factory=lambda: defaultdict(list))
    numbers: set[str] = field(default_factory=set)
    history_cache: dict[int, HistoryLine] = field(default_factory=dict)  # by id(BilledLine)
    ytd_cache: dict[tuple[int, int, str, dt.date], int] = field(default_factory=dict)
    pay_to: tuple[str, str, str, str] | None = None  # the clinic's, when payments go elsewhere
    visit_locations: dict[int, Location] = field(default_factory=dict)  # by visit id
    checks: dict[int, StoredCheck] = field(default_factory=dict)  # latest 271 by coverage id
    _plan_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    _report_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    _auth_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    _auth_of_visit: dict[int, Authorization | None] = field(default_factory=dict)
    _coverages_of: dict[int, list[Coverage]] | None = None  # by patient id, by priority

    def other_coverages(self, coverage: Coverage, on: dt.date) -> list[Coverage]:
        """The patient's coverages after ``coverage`` in force on ``on``, by priority: what a
        claim to the primary names as other insurance. Empty for a claim to a later payer."""
        if coverage.priority != 1:
            return []
        if self._coverages_of is None:
            self._coverages_of = defaultdict(list)
            for c in sorted(self.coverages.values(), key=lambda c: (c.priority, c.id)):
                self._coverages_of[c.patient_id].append(c)
        return [
            c
            for c in self._coverages_of.get(coverage.patient_id, [])
            if c.priority > coverage.priority and _in_force(c, on)
        ]

    def index_visits(self) -> None:
        plan, report = defaultdict(list), defaultdict(list)
        for v in self.visits.values():
            if v.plan_of_care_id is not None:
                plan[v.plan_of_care_id].append(v.date)
                note = self.notes.get(v.id)
                if note is not None and note.note_type.value in _REPORTS:
                    report[v.plan_of_care_id].append(v.date)
        self._plan_dates = {k: sorted(d) for k, d in plan.items()}
        self._report_dates = {k: sorted(d) for k, d in report.items()}
        self._index_authorizations()

    def _index_authorizations(self) -> None:
        """Which visits use each authorization (visits on its coverage in its dates, with one of
        its codes when per code: the same count as the authorization pages) and which approved
        authorization each visit is billed under."""
        by_coverage: dict[int, list[Authorization]] = defaultdict(list)
        for a in self.auths.values():
            by_coverage[a.coverage_id].append(a)
        dates: dict[int, list[dt.date]] = defaultdict(list)
        for v in self.visits.values():
            if v.coverage_id is None:  # self-pay: no payer, so no authorization covers it
                self._auth_of_visit[v.id] = None
                continue
            mine = by_coverage.get(v.coverage_id, [])
            codes = {line.code for line in self.lines_by_visit.get(v.id, [])}
            for a in mine:
                if counts_toward(a, v.coverage_id, v.date, codes):
                    dates[a.id].append(v.date)
            self._auth_of_visit[v.id] = covering(mine, v.coverage_id, v.date, codes)
        self._auth_dates = {k: sorted(d) for k, d in dates.items()}

    def auth_of(self, visit: Visit) -> Authorization | None:
        """The approved authorization the visit is billed under (a requested, pending or denied
        one covers nothing)."""
        return self._auth_of_visit.get(visit.id)

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

    def fee(self, payer_id: int, code: str, on: dt.date) -> Fee | None:
        for key in ((payer_id, code), (None, code)):
            rows = [r for r in self.fees.get(key, []) if r.effective_from <= on]
            if rows:
                return rows[-1]
        return None


def _in_force(coverage: Coverage, on: dt.date) -> bool:
    """In its dates on ``on``, and not found inactive by the last eligibility check."""
    starts, ends = coverage.effective_from, coverage.effective_to
    in_dates = (starts is None or starts <= on) and (ends is None or on <= ends)
    return in_dates and coverage.eligibility_active is not False


def load_snapshot(uow: UnitOfWork, patient_ids: Iterable[int] | None = None) -> Snapshot:
    """The records of the given patients (or the whole clinic), for assembling claims."""
    pids = set(patient_ids) if patient_ids is not None else None
    visits = {v.id: v for v in uow.visits.of_patients(pids)}
    of_visits = visits.keys() if pids else None
    lines = uow.visits.lines_by_visit(of_visits)
    coverages = {c.id: c for c in uow.patients.coverages(pids)}
    fees: dict[tuple[int | None, str], list[Fee]] = defaultdict(list)
    for fee in uow.payers.fee_schedule():
        fees[(fee.payer_id, fee.code)].append(fee)
    snap = Snapshot(
        clinic=uow.providers.billing(),
        patients={p.id: p for p in uow.patients.by_ids(pids)},
        coverages=coverages,
        payers={p.id: p for p in uow.payers.all()},
        providers={p.id: p for p in uow.providers.all()},
        plans={p.id: p for p in uow.patients.plans(pids)},
        auths={a.id: a for a in uow.authorizations.of(coverage_ids=coverages)},
        visits=visits,
        lines_by_visit=lines,
        notes=uow.visits.notes_by_visit(of_visits, lines),
        fees=fees,
    )
    snap.pay_to = uow.clinics.identity().pay_to
    snap.visit_locations = uow.clinics.visit_locations(of_visits)
    snap.checks = uow.eligibility.latest_of(coverages)
    snap.index_visits()
    for patient_id, line in uow.claims.billed_lines(pids):
        snap.billed[patient_id].append(line)
    snap.numbers.update(uow.claims.numbers(pids))
    return snap
