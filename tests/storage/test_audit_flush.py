"""The audit writer writes pending changes through the unit of work's error translation.

Why: its query for the chain head used to autoflush a lost optimistic-lock race as a raw
``StaleDataError`` (a 500 on the web, a traceback in the CLI) instead of :class:`StaleRecord`.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from otbill.domain.record_errors import StaleRecord
from otbill.storage import Database
from otbill.storage.tables import ClaimRow
from support.claimflow import ready_claim
from support.clinickit import seed_clinic


def test_a_lost_race_seen_by_the_audit_writer_is_a_stale_record(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    stale = pytest.raises(StaleRecord, match="another user changed the record first")
    with stale, db.unit_of_work(ids.clinic, ids.approver) as uow:
        row = uow.records.get(ClaimRow, claim_id)
        row.status = "approved"
        with db.engine.begin() as other:  # another user's change, committed meanwhile
            other.execute(text(f"UPDATE claim SET version = version + 1 WHERE id = {claim_id}"))
        uow.audit.record(ids.approver, "claim.transition", "claim", claim_id, None, None)


def test_a_lost_race_seen_by_any_query_is_a_stale_record(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    with pytest.raises(StaleRecord), db.unit_of_work(ids.clinic, ids.approver) as uow:
        row = uow.records.get(ClaimRow, claim_id)
        row.status = "approved"
        with db.engine.begin() as other:
            other.execute(text(f"UPDATE claim SET version = version + 1 WHERE id = {claim_id}"))
        uow.audit_reads.head_seq()  # a read whose autoflush meets the lost race
