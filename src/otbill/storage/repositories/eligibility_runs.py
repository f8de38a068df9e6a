"""Eligibility runs and their items: who to ask on a date, what was asked, what came back.

The selection queries (patients booked on a date, patients active around the start of a plan
year) live here because they read the schedule, visits, plans and coverages together. Items are
written in bulk: a run of thousands adds its items in one statement and ends them in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from otbill.domain.eligibility import StoredCheck
from otbill.domain.eligibility_runs import EligibilityRun, NewRunItem, RunItem, RunResult
from otbill.domain.record_errors import NotFound
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables import (
    AppointmentRow,
    CoverageRow,
    PatientRow,
    PayerRow,
    PlanOfCareRow,
    VisitRow,
)
from otbill.storage.tables.eligibility import EligibilityCheckRow
from otbill.storage.tables.eligibility_runs import EligibilityRunItemRow, EligibilityRunRow

__all__ = ["EligibilityRunRepository"]

_BOOKED = ("booked", "checked-in")
_CHUNK = 500  # ids per IN (...) list


def _run(r: EligibilityRunRow) -> EligibilityRun:
    return EligibilityRun(r.id, r.for_date, r.kind, r.state, r.total, r.answered, r.failed,
                          r.active, r.inactive, r.not_verified, r.started_by, r.started_at,
                          r.finished_at)  # fmt: skip


def _item(r: EligibilityRunItemRow) -> RunItem:
    return RunItem(r.id, r.run_id, r.coverage_id, r.patient_id, r.date_of_service,
                   r.appointment_id, r.state, r.eligibility_check_id, r.message,
                   r.attempts)  # fmt: skip


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class EligibilityRunRepository(ClinicScoped):
    """Runs are started, their items added once, then moved along; counts kept on the run."""

    # -- who to ask -------------------------------------------------------------------------

    def _active_on(self, on: dt.date) -> Any:
        return and_(
            CoverageRow.clinic_id == self.clinic_id,
            CoverageRow.effective_from <= on,
            or_(CoverageRow.effective_to.is_(None), CoverageRow.effective_to >= on),
        )

    def _primary(self, patient_ids: Iterable[int], on: dt.date) -> dict[int, int]:
        """Each patient's primary coverage active on ``on`` (lowest priority number, then id)."""
        wanted = sorted(set(patient_ids))
        best: dict[int, tuple[int, int]] = {}
        for part in _chunks(wanted):
            query = select(CoverageRow.patient_id, CoverageRow.priority, CoverageRow.id).where(
                self._active_on(on), CoverageRow.patient_id.in_(part)
            )
            for patient_id, priority, coverage_id in self.session.execute(query):
                if patient_id not in best or (priority, coverage_id) < best[patient_id]:
                    best[patient_id] = (priority, coverage_id)
        return {patient: coverage for patient, (_, coverage) in best.items()}

    def booked_on(self, on: dt.date) -> list[NewRunItem]:
        """One item per patient with a booked (not cancelled) appointment on ``on``, for the
        patient's primary coverage active that day; the day's first appointment is named."""
        query = (
            select(AppointmentRow.patient_id, func.min(AppointmentRow.id))
            .where(
                AppointmentRow.clinic_id == self.clinic_id,
                AppointmentRow.date == on,
                AppointmentRow.status.in_(_BOOKED),
            )
            .group_by(AppointmentRow.patient_id)
        )
        first = {patient: appointment for patient, appointment in self.session.execute(query)}
        primary = self._primary(first, on)
        return [NewRunItem(primary[p], p, on, first[p]) for p in sorted(primary)]

    def active_around(self, on: dt.date, *, days: int = 90) -> list[NewRunItem]:
        """One item per patient with a coverage active on ``on`` and a visit or a booked
        appointment in the ``days`` before it (through ``on``), or a plan of care open on it."""
        since = on - dt.timedelta(days=days)
        seen: set[int] = set()
        visits = select(VisitRow.patient_id).where(
            VisitRow.clinic_id == self.clinic_id, VisitRow.date >= since, VisitRow.date <= on
        )
        seen.update(self.session.scalars(visits.distinct()))
        booked = select(AppointmentRow.patient_id).where(
            AppointmentRow.clinic_id == self.clinic_id,
            AppointmentRow.date >= since,
            AppointmentRow.date <= on,
            AppointmentRow.status.in_(_BOOKED),
        )
        seen.update(self.session.scalars(booked.distinct()))
        plans = select(
            PlanOfCareRow.patient_id, PlanOfCareRow.start, PlanOfCareRow.duration_weeks
        ).where(PlanOfCareRow.clinic_id == self.clinic_id, PlanOfCareRow.start <= on)
        for patient_id, start, weeks in self.session.execute(plans):
            if start + dt.timedelta(weeks=weeks) >= on:  # the plan's weeks still run on ``on``
                seen.add(patient_id)
        primary = self._primary(seen, on)
        return [NewRunItem(primary[p], p, on) for p in sorted(primary)]

    def checked_today(
        self, coverage_ids: Iterable[int], on: dt.date, today: dt.date
    ) -> dict[int, int]:
        """Coverages already asked about ``on`` today, by anyone: their newest check's id."""
        found: dict[int, int] = {}
        for part in _chunks(sorted(set(coverage_ids))):
            query = (
                select(EligibilityCheckRow.coverage_id, func.max(EligibilityCheckRow.id))
                .where(
                    EligibilityCheckRow.clinic_id == self.clinic_id,
                    EligibilityCheckRow.coverage_id.in_(part),
                    EligibilityCheckRow.date_of_service == on,
                    EligibilityCheckRow.checked_on == today,
                )
                .group_by(EligibilityCheckRow.coverage_id)
            )
            found.update({coverage: check for coverage, check in self.session.execute(query)})
        return found

    # -- runs -------------------------------------------------------------------------------

    def start(self, for_date: dt.date, kind: str, *, by_user: int | None) -> int:
        row = EligibilityRunRow(
            clinic_id=self.clinic_id, for_date=for_date, kind=kind, state="running", total=0,
            answered=0, failed=0, active=0, inactive=0, not_verified=0, started_by=by_user,
            started_at=utcnow(),
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def get(self, run_id: int) -> EligibilityRun:
        """The run (:class:`NotFound` when not this clinic's)."""
        return _run(fetch(self.session, EligibilityRunRow, self.clinic_id, run_id))

    def unfinished(self, for_date: dt.date, kind: str) -> EligibilityRun | None:
        """The newest run for the date and kind that has not finished, or None."""
        query = (
            select(EligibilityRunRow)
            .where(
                EligibilityRunRow.clinic_id == self.clinic_id,
                EligibilityRunRow.for_date == for_date,
                EligibilityRunRow.kind == kind,
                EligibilityRunRow.state != "finished",
            )
            .order_by(EligibilityRunRow.id.desc())
            .limit(1)
        )
        row = self.session.scalars(query).first()
        return _run(row) if row else None

    def recent(self, limit: int = 50) -> list[EligibilityRun]:
        """The clinic's runs, newest first."""
        query = (
            select(EligibilityRunRow)
            .where(EligibilityRunRow.clinic_id == self.clinic_id)
            .order_by(EligibilityRunRow.id.desc())
            .limit(limit)
        )
        return [_run(r) for r in self.session.scalars(query)]

    def recount(self, run_id: int, *, finished: bool = False) -> EligibilityRun:
        """Write the run's counts from its items (and its end when ``finished``); return it."""
        row = fetch(self.session, EligibilityRunRow, self.clinic_id, run_id)
        flush(self.session)
        query = (
            select(EligibilityRunItemRow.state, EligibilityCheckRow.active, func.count())
            .select_from(EligibilityRunItemRow)
            .outerjoin(
                EligibilityCheckRow,
                EligibilityCheckRow.id == EligibilityRunItemRow.eligibility_check_id,
            )
            .where(EligibilityRunItemRow.run_id == run_id)
            .group_by(EligibilityRunItemRow.state, EligibilityCheckRow.active)
        )
        counts = {"total": 0, "answered": 0, "failed": 0, "active": 0, "inactive": 0,
                  "not_verified": 0}  # fmt: skip
        for state, active, n in self.session.execute(query):
            counts["total"] += n
            if state == "answered":
                counts["answered"] += n
                key = "not_verified" if active is None else "active" if active else "inactive"
                counts[key] += n
            elif state == "failed":
                counts["failed"] += n
        for key, value in counts.items():
            setattr(row, key, value)
        if finished:
            row.state = "finished"
            row.finished_at = utcnow()
        flush(self.session)
        return _run(row)

    # -- items ------------------------------------------------------------------------------

    def add_items(self, run_id: int, items: Sequence[NewRunItem]) -> int:
        """Add the items the run does not have yet (same coverage and date: skipped); the count
        added."""
        fetch(self.session, EligibilityRunRow, self.clinic_id, run_id)
        have = {(i.coverage_id, i.date_of_service) for i in self.items(run_id)}
        now = utcnow()
        rows = []
        for item in items:
            key = (item.coverage_id, item.date_of_service)
            if key in have:
                continue
            have.add(key)
            rows.append({
                "clinic_id": self.clinic_id, "run_id": run_id, "coverage_id": item.coverage_id,
                "patient_id": item.patient_id, "date_of_service": item.date_of_service,
                "appointment_id": item.appointment_id, "state": item.state,
                "eligibility_check_id": item.eligibility_check_id, "message": item.message[:500],
                "attempts": 0, "updated_at": now,
            })  # fmt: skip
        if rows:
            self.session.execute(insert(EligibilityRunItemRow), rows)
        return len(rows)

    def items(self, run_id: int, states: Iterable[str] | None = None) -> list[RunItem]:
        """The run's items in id order (only those in ``states`` when given)."""
        query = select(EligibilityRunItemRow).where(
            EligibilityRunItemRow.clinic_id == self.clinic_id,
            EligibilityRunItemRow.run_id == run_id,
        )
        if states is not None:
            query = query.where(EligibilityRunItemRow.state.in_(list(states)))
        return [_item(r) for r in self.session.scalars(query.order_by(EligibilityRunItemRow.id))]

    def mark_sent(self, item_ids: Sequence[int]) -> None:
        """These items are about to be asked: state sent, one more attempt."""
        now = utcnow()
        for part in _chunks(list(item_ids)):
            self.session.execute(
                update(EligibilityRunItemRow)
                .where(
                    EligibilityRunItemRow.clinic_id == self.clinic_id,
                    EligibilityRunItemRow.id.in_(part),
                )
                .values(state="sent", attempts=EligibilityRunItemRow.attempts + 1, updated_at=now)
            )

    def end_item(self, item_id: int, state: str, check_id: int | None, message: str) -> None:
        """The item was answered (with its check) or failed (with the reason)."""
        row = fetch(self.session, EligibilityRunItemRow, self.clinic_id, item_id)
        row.state = state
        row.eligibility_check_id = check_id
        row.message = message[:500]
        row.updated_at = utcnow()

    def results(self, run_id: int) -> list[RunResult]:
        """Each item with its patient, payer, appointment time and the check it became."""
        query = (
            select(
                EligibilityRunItemRow,
                PatientRow.first_name,
                PatientRow.last_name,
                PayerRow.name,
                AppointmentRow.start_minute,
                EligibilityCheckRow.active,
                EligibilityCheckRow.status,
                EligibilityCheckRow.benefits,
                EligibilityCheckRow.checked_at,
            )
            .join(PatientRow, PatientRow.id == EligibilityRunItemRow.patient_id)
            .join(CoverageRow, CoverageRow.id == EligibilityRunItemRow.coverage_id)
            .join(PayerRow, PayerRow.id == CoverageRow.payer_id)
            .outerjoin(AppointmentRow, AppointmentRow.id == EligibilityRunItemRow.appointment_id)
            .outerjoin(
                EligibilityCheckRow,
                EligibilityCheckRow.id == EligibilityRunItemRow.eligibility_check_id,
            )
            .where(
                EligibilityRunItemRow.clinic_id == self.clinic_id,
                EligibilityRunItemRow.run_id == run_id,
            )
            .order_by(EligibilityRunItemRow.id)
        )
        found = []
        for row, first, last, payer, minute, active, status, benefits, at in self.session.execute(
            query
        ):
            found.append(RunResult(_item(row), f"{last}, {first}", payer, minute, active,
                                   status or row.message, dict(benefits or {}), at))  # fmt: skip
        return found

    # -- the batch's own writes of answers ---------------------------------------------------

    def keep_checks(self, checks: Sequence[StoredCheck], *, by_user: int | None) -> list[int]:
        """Add many eligibility answers in one statement (their ``id`` ignored); their ids, in
        order. The coverages must be this clinic's (NotFound naming the first that is not)."""
        if not checks:
            return []
        wanted = {c.coverage_id for c in checks}
        ours: set[int] = set()
        for part in _chunks(sorted(wanted)):
            query = select(CoverageRow.id).where(
                CoverageRow.clinic_id == self.clinic_id, CoverageRow.id.in_(part)
            )
            ours.update(self.session.scalars(query))
        for check in checks:
            if check.coverage_id not in ours:
                raise NotFound("coverage", check.coverage_id)
        now = utcnow()
        rows = [
            {"clinic_id": self.clinic_id, "coverage_id": c.coverage_id, "checked_on": c.checked_on,
             "date_of_service": c.date_of_service, "trace": c.trace, "active": c.active,
             "status": c.status[:300], "benefits": c.benefits, "raw_response": c.raw_response,
             "checked_at": now, "checked_by": by_user}
            for c in checks
        ]  # fmt: skip
        statement = insert(EligibilityCheckRow).returning(
            EligibilityCheckRow.id, sort_by_parameter_order=True
        )
        return list(self.session.scalars(statement, rows))

    def set_eligibility(self, changes: Sequence[tuple[int, dt.date, bool]]) -> None:
        """Many coverages' latest check (coverage id, date, active) in one statement; the ids
        come from :meth:`keep_checks`' coverages, already known to be this clinic's."""
        if changes:
            self.session.execute(
                update(CoverageRow),
                [{"id": coverage_id, "eligibility_verified_on": on, "eligibility_active": active}
                 for coverage_id, on, active in changes],
            )  # fmt: skip

    def end_items(self, ends: Sequence[tuple[int, str, int | None, str]]) -> None:
        """Many items answered or failed at once: (item id, state, check id, message); the ids
        come from :meth:`items` of this clinic."""
        if ends:
            now = utcnow()
            self.session.execute(
                update(EligibilityRunItemRow),
                [{"id": item_id, "state": state, "eligibility_check_id": check_id,
                  "message": message[:500], "updated_at": now}
                 for item_id, state, check_id, message in ends],
            )  # fmt: skip
