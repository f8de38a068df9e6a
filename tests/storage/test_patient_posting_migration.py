"""Migration 0016 on a database with data: an opening balance imported as a made-up one-line
claim (line code OPBAL, before 0016) becomes one entry on the patient's account, and the claim,
its line, status history and postings are gone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alembic import command

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, PostingRow
from support.clinickit import seed_clinic
from support.upkeep import without_upkeep

NOW = dt.datetime(2025, 3, 1, 9, 0)
ON = dt.date(2024, 12, 31)


def _old_opening_balance_claim(db: Database, clinic: int, patient: int, coverage: int,
                               payer: int, provider: int, user: int) -> None:  # fmt: skip
    """What the import wrote before 0016: a closed claim, one OPBAL line, a charge moved to the
    patient."""
    # rows as the code of that time wrote them: before 0028 nothing kept a derived table
    with without_upkeep():
        _write_old_rows(db, clinic, patient, coverage, payer, provider, user)


def _write_old_rows(db: Database, clinic: int, patient: int, coverage: int,
                    payer: int, provider: int, user: int) -> None:  # fmt: skip
    with db.session() as session:
        claim = ClaimRow(clinic_id=clinic, number="OB-abc-2", patient_id=patient,
                         coverage_id=coverage, payer_id=payer, date_of_service=ON,
                         status="closed", frequency_code="1", place_of_service="11",
                         telehealth=False, total_charge_cents=4500, findings=[], error_count=0,
                         created_by=user, last_edited_by=user, created_at=NOW)  # fmt: skip
        session.add(claim)
        session.flush()
        line = ClaimLineRow(clinic_id=clinic, claim_id=claim.id, position=1, date=ON,
                            code="OPBAL", units=1, charge_cents=4500,
                            rendering_provider_id=provider)  # fmt: skip
        session.add(line)
        session.flush()
        for key, kind in (("import:f00d:2", "charge"), ("import:f00d:2:patient", "transfer")):
            session.add(PostingRow(clinic_id=clinic, source_key=key, kind=kind, amount_cents=4500,
                                   claim_id=claim.id, claim_line_id=line.id, patient_id=patient,
                                   payer_id=payer, payer_side=kind == "charge", posted_on=ON,
                                   posted_at=NOW, posted_by=user))  # fmt: skip
        session.add(ClaimStatusRow(clinic_id=clinic, claim_id=claim.id, from_status="draft",
                                   to_status="closed", at=NOW, by_user=user,
                                   reason="opening balance from the old system"))  # fmt: skip
        session.commit()


def test_up_from_0015_moves_opening_balance_claims_to_the_patients_account(db: Database) -> None:
    ids = seed_clinic(db)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015")
    assert current_revision(db.engine) == "0015"
    with db.unit_of_work(ids.clinic) as uow:
        claims_before = uow.records.count(ClaimRow)
        postings_before = uow.records.count(PostingRow)
    _old_opening_balance_claim(db, ids.clinic, ids.patient, ids.coverage, ids.medicare, ids.otr,
                               ids.biller)  # fmt: skip
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        (entry,) = uow.patient_account.of_patients([ids.patient])
        assert (entry.kind, entry.amount, entry.on, entry.source_key, entry.provider_id) == (
            "opening-balance", Decimal("45.00"), ON, "import:f00d:2", ids.otr)  # fmt: skip
        assert "was claim OB-abc-2" in entry.source
        assert uow.records.count(ClaimRow) == claims_before
        assert uow.records.count(PostingRow) == postings_before
        assert not uow.records.find(ClaimLineRow, ClaimLineRow.code == "OPBAL")
