"""A batch's claim changes written as plain statements (``uow.remittance_batch.change_claims``):
the claims, their history and the kept month rows are what the ORM's changes would leave, the
session's copies stay usable, and a claim another writer changed since the batch read it fails
the batch with nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from otbill.domain.record_errors import StaleRecord
from otbill.storage import Database
from otbill.storage.repositories.dashboard_summary import rollup_mismatches
from otbill.storage.repositories.owner_summary import summary_mismatches
from otbill.storage.tables import ClaimRow, ClaimStatusRow
from support.clinickit import seed_clinic
from support.remitkit import submitted_claim


def test_changes_history_and_kept_rows_as_the_orm_would_leave_them(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id, _ = submitted_claim(db, ids, "T1")
    other_id, _ = submitted_claim(db, ids, "T2")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        uow.remittance_batch.claims_by_number(["T1", "T2"])
        history = [(claim_id, "submitted", "accepted", "adjudicated (835)"),
                   (claim_id, "accepted", "paid", "835 TRN1: paid")]  # fmt: skip
        changes = {claim_id: {"status": "paid", "payer_claim_number": "ICN1"},
                   other_id: {"payer_claim_number": "ICN2"}}  # fmt: skip
        uow.remittance_batch.change_claims(changes, history, ids.biller)
        # the session's copy is current: a later ORM change is not refused as stale
        uow.claims.change(claim_id, error_count=5)
    with db.unit_of_work(ids.clinic) as uow:
        one, two = uow.claims.get(claim_id), uow.claims.get(other_id)
        assert one.error_count == 5
        assert (one.status, one.payer_claim_number) == ("paid", "ICN1")
        assert (two.status, two.payer_claim_number) == ("submitted", "ICN2")
        versions = {r.id: r.version for r in uow.records.find(ClaimRow)}
        assert versions[claim_id] == 3 and versions[other_id] == 2
        rows = [r for r in uow.records.find(ClaimStatusRow) if r.claim_id == claim_id]
        moves = [(r.from_status, r.to_status, r.by_user) for r in sorted(rows, key=lambda r: r.id)]
        assert moves[-2:] == [("submitted", "accepted", ids.biller),
                              ("accepted", "paid", ids.biller)]  # fmt: skip
        session = uow.records.session
        assert rollup_mismatches(session, ids.clinic) == []
        assert summary_mismatches(session, ids.clinic) == []


def test_a_claim_changed_since_the_batch_read_it_fails_the_batch(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id, _ = submitted_claim(db, ids, "T1")
    stale = pytest.raises(StaleRecord, match="changed 1 of this 835's claims first")
    with stale, db.unit_of_work(ids.clinic, ids.biller) as uow:
        uow.remittance_batch.claims_by_number(["T1"])
        session = uow.records.session  # another writer's change, as the database has it
        session.execute(text("UPDATE claim SET version = version + 1 WHERE id = :id"),
                        {"id": claim_id})  # fmt: skip
        history = [(claim_id, "submitted", "accepted", "adjudicated (835)")]
        uow.remittance_batch.change_claims({claim_id: {"status": "accepted"}}, history, None)
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.get(claim_id).status == "submitted"
        assert not [r for r in uow.records.find(ClaimStatusRow) if r.to_status == "accepted"]
