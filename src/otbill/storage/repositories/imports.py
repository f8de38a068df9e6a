"""The import mapping (old system's ID -> new record) and the carrier of an opening balance.

Why a claim carries an opening balance: every ledger posting belongs to a claim line, so a balance
brought over from the old system is posted on one closed claim of one line (code ``OPBAL``) made
for it; the claim never enters a work queue and is never sent to a payer.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.import_buffer import BufferedPatients, CachedPayers
from otbill.storage.repositories.rows import flush
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, LegacyImportRow

__all__ = ["OPENING_BALANCE_CODE", "ImportRepository"]

#: The claim line code of an opening balance brought over from the old system.
OPENING_BALANCE_CODE = "OPBAL"


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

    def opening_balance_line(
        self,
        *,
        number: str,
        coverage: tuple[int, int, int],
        provider_id: int,
        on: dt.date,
        cents: int,
        by_user: int,
    ) -> int:
        """A closed one-line claim (``number``) that carries an opening balance of ``cents``
        for ``coverage`` = (patient id, coverage id, payer id); returns its line's id."""
        patient_id, coverage_id, payer_id = coverage
        claim = ClaimRow(
            clinic_id=self.clinic_id, number=number, patient_id=patient_id,
            coverage_id=coverage_id, payer_id=payer_id, date_of_service=on, status="closed",
            frequency_code="1", place_of_service="11", telehealth=False,
            total_charge_cents=cents, findings=[], error_count=0, created_by=by_user,
            last_edited_by=by_user, created_at=utcnow(),
        )  # fmt: skip
        self.session.add(claim)
        flush(self.session)
        line = ClaimLineRow(
            clinic_id=self.clinic_id, claim_id=claim.id, position=1, date=on,
            code=OPENING_BALANCE_CODE, units=1, charge_cents=cents,
            rendering_provider_id=provider_id,
        )  # fmt: skip
        self.session.add(line)
        self.session.execute(
            insert(ClaimStatusRow),
            [{"clinic_id": self.clinic_id, "claim_id": claim.id, "from_status": "draft",
              "to_status": "closed", "at": utcnow(), "by_user": by_user,
              "reason": "opening balance from the old system"}],
        )  # fmt: skip
        flush(self.session)
        return line.id
