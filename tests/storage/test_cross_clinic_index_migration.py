"""Migration 0035: the company queues' indexes go down and up, and an upgrade keeps the ones an
operator built beforehand (``CREATE INDEX CONCURRENTLY``, to spare the write lock)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

COLUMNS = ["status", "date_of_service", "id", "clinic_id", "patient_id", "payer_id"]


def _claim_indexes(db: Database) -> dict[str, list[str]]:
    return {i["name"]: list(i["column_names"]) for i in inspect(db.engine).get_indexes("claim")}


def _patient_trigram(db: Database) -> bool:
    with db.engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_patient_last_name_trgm' "
                "AND schemaname = current_schema()"
            )
        )
        return bool(found.scalar_one())


def test_indexes_down_and_up_and_kept_when_built_beforehand(db: Database) -> None:
    seed_clinic(db)
    postgres = db.backend == "postgresql"
    assert _claim_indexes(db)["ix_claim_status_served"] == COLUMNS
    assert not postgres or _patient_trigram(db)
    with db.engine.begin() as connection:  # down to 0034 on the test's own connection
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0034")
    assert current_revision(db.engine) == "0034"
    assert "ix_claim_status_served" not in _claim_indexes(db)
    assert not postgres or not _patient_trigram(db)
    with db.engine.begin() as connection:  # as an operator would, before upgrading
        connection.execute(
            text(f"CREATE INDEX ix_claim_status_served ON claim ({', '.join(COLUMNS)})")
        )
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _claim_indexes(db)["ix_claim_status_served"] == COLUMNS
    assert not postgres or _patient_trigram(db)
