"""The import mapping (old system's ID -> new record), and the repositories a large import uses.

(Opening balances are entries on the patient's account: :mod:`.patient_account`.)
"""

from __future__ import annotations

from sqlalchemy import insert, select

from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.import_buffer import BufferedPatients, CachedPayers
from otbill.storage.repositories.rows import flush
from otbill.storage.tables import LegacyImportRow

__all__ = ["ImportRepository"]


class ImportRepository(ClinicScoped):
    """What was imported from which old system, and opening-balance carriers."""

    def buffered_patients(self) -> BufferedPatients:
        """A patients repository for a large import: reads from memory, writes held for one
        bulk insert (:meth:`BufferedPatients.write_buffered`)."""
        return BufferedPatients(self.session, self.clinic_id)

    def cached_payers(self) -> CachedPayers:
        """The payers repository, read once for the whole import."""
        return CachedPayers(self.session, self.clinic_id)

    def mapped(self, old_system: str, kind: str) -> dict[str, int]:
        """Old ID -> new record id of everything of ``kind`` imported from ``old_system``;
        the (clinic, old system, kind, old ID) unique index."""
        query = select(LegacyImportRow.old_id, LegacyImportRow.new_id).where(
            LegacyImportRow.clinic_id == self.clinic_id,
            LegacyImportRow.old_system == old_system,
            LegacyImportRow.kind == kind,
        )
        return {old: new for old, new in self.session.execute(query)}

    def remember(self, old_system: str, kind: str, pairs: dict[str, int]) -> None:
        """Record that each old ID (key) became the new record (value); one bulk insert."""
        if not pairs:
            return
        now = utcnow()
        rows = [
            {"clinic_id": self.clinic_id, "old_system": old_system, "kind": kind,
             "old_id": old, "new_id": new, "imported_at": now}
            for old, new in pairs.items()
        ]  # fmt: skip
        self.session.execute(insert(LegacyImportRow), rows)
        flush(self.session)
