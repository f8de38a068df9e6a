"""Migration 0032: the queue, search and dashboard indexes go down and up with rows present."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

ADDED = {
    ("claim", "ix_claim_served"): ["clinic_id", "date_of_service", "id"],
    ("claim", "ix_claim_payer"): ["clinic_id", "payer_id", "date_of_service", "id", "status"],
    ("visit", "ix_visit_served"): ["clinic_id", "date"],
}


def _indexes(db: Database, table: str) -> dict[str, list[str]]:
    return {i["name"]: list(i["column_names"]) for i in inspect(db.engine).get_indexes(table)}


def _downgrade(db: Database, to: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, to)


def test_indexes_down_and_up(db: Database) -> None:
    seed_clinic(db)
    for (table, name), columns in ADDED.items():
        assert _indexes(db, table)[name] == columns
    assert _indexes(db, "claim_status_history")["ix_claim_status_claim"] == ["claim_id", "id"]
    trigram = db.backend == "postgresql"  # PostgreSQL only: part of the claim number
    assert ("ix_claim_number_trgm" in _indexes(db, "claim")) is trigram
    _downgrade(db, "0030")
    assert current_revision(db.engine) == "0030"
    for table, name in [*ADDED, ("claim", "ix_claim_number_trgm")]:
        assert name not in _indexes(db, table)
    assert _indexes(db, "claim_status_history")["ix_claim_status_claim"] == ["claim_id"]
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    for (table, name), columns in ADDED.items():
        assert _indexes(db, table)[name] == columns
    assert ("ix_claim_number_trgm" in _indexes(db, "claim")) is trigram
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM patient")).scalar_one() == 1
