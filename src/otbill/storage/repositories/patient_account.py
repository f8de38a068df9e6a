"""Patient-level postings: entries on a patient's account that belong to no claim."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from otbill.domain.money import from_cents, to_cents
from otbill.domain.patient_account import PatientEntry
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import flush
from otbill.storage.tables import PatientPostingRow

__all__ = ["PatientAccountRepository"]


def _entry(r: PatientPostingRow) -> PatientEntry:
    return PatientEntry(r.id, r.patient_id, r.kind, from_cents(r.amount_cents), r.posted_on,
                        r.source, r.source_key, r.provider_id, r.visit_id, r.package_id)  # fmt: skip


class PatientAccountRepository(ClinicScoped):
    """Append-only: entries are added, never changed."""

    def add(self, entry: PatientEntry, *, by_user: int | None) -> int:
        """A new entry (its ``id`` is ignored); returns its id."""
        row = PatientPostingRow(
            clinic_id=self.clinic_id, source_key=entry.source_key, patient_id=entry.patient_id,
            kind=entry.kind, amount_cents=to_cents(entry.amount), source=entry.source,
            provider_id=entry.provider_id, posted_on=entry.on, posted_at=utcnow(),
            posted_by=by_user, visit_id=entry.visit_id, package_id=entry.package_id,
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def by_source_key(self, source_key: str) -> PatientEntry | None:
        """The entry already posted under this key; the (clinic, source key) unique index."""
        query = select(PatientPostingRow).where(
            PatientPostingRow.clinic_id == self.clinic_id,
            PatientPostingRow.source_key == source_key,
        )
        row = self.session.scalars(query).one_or_none()
        return _entry(row) if row is not None else None

    def of_patients(self, patient_ids: Iterable[int] | None = None) -> list[PatientEntry]:
        """Entries of these patients (all when None), oldest first; ``ix_patient_posting_patient``."""
        query = select(PatientPostingRow).where(PatientPostingRow.clinic_id == self.clinic_id)
        if patient_ids is not None:
            query = query.where(PatientPostingRow.patient_id.in_(list(patient_ids)))
        query = query.order_by(PatientPostingRow.posted_on, PatientPostingRow.id)
        return [_entry(r) for r in self.session.scalars(query)]
