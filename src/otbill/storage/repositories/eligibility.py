"""Eligibility answers kept per coverage: added once, read newest first."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from otbill.domain.eligibility import StoredCheck
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables import CoverageRow
from otbill.storage.tables.eligibility import EligibilityCheckRow

__all__ = ["EligibilityRepository"]


def _check(r: EligibilityCheckRow) -> StoredCheck:
    return StoredCheck(r.coverage_id, r.checked_on, r.date_of_service, r.trace, r.active,
                       r.status, dict(r.benefits), r.raw_response, r.id)  # fmt: skip


class EligibilityRepository(ClinicScoped):
    """Append-only: an answer is added, never changed."""

    def add(self, check: StoredCheck, *, by_user: int | None) -> int:
        """A new answer for one of the clinic's coverages (its ``id`` is ignored); returns its id."""
        fetch(self.session, CoverageRow, self.clinic_id, check.coverage_id)  # NotFound if not ours
        row = EligibilityCheckRow(
            clinic_id=self.clinic_id, coverage_id=check.coverage_id, checked_on=check.checked_on,
            date_of_service=check.date_of_service, trace=check.trace, active=check.active,
            status=check.status[:300], benefits=check.benefits, raw_response=check.raw_response,
            checked_at=utcnow(), checked_by=by_user,
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def of_coverage(self, coverage_id: int) -> list[StoredCheck]:
        """Every answer for the coverage, newest first; ``ix_eligibility_check_coverage``."""
        query = (
            select(EligibilityCheckRow)
            .where(
                EligibilityCheckRow.clinic_id == self.clinic_id,
                EligibilityCheckRow.coverage_id == coverage_id,
            )
            .order_by(EligibilityCheckRow.id.desc())
        )
        return [_check(r) for r in self.session.scalars(query)]

    def latest(self, coverage_id: int) -> StoredCheck | None:
        """The newest answer for the coverage, or None."""
        found = self.of_coverage(coverage_id)
        return found[0] if found else None

    def latest_of(self, coverage_ids: Iterable[int]) -> dict[int, StoredCheck]:
        """The newest answer of each coverage that has one, in one query (for claim snapshots)."""
        wanted = set(coverage_ids)
        if not wanted:
            return {}
        newest = (
            select(func.max(EligibilityCheckRow.id))
            .where(
                EligibilityCheckRow.clinic_id == self.clinic_id,
                EligibilityCheckRow.coverage_id.in_(wanted),
            )
            .group_by(EligibilityCheckRow.coverage_id)
        )
        rows = self.session.scalars(
            select(EligibilityCheckRow).where(EligibilityCheckRow.id.in_(newest))
        )
        return {r.coverage_id: _check(r) for r in rows}
