"""Migration 0020: the claim chain and crossover tables come and go."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_down_to_0019_and_up_again(db: Database) -> None:
    assert {"claim_coordination", "claim_crossover"} <= _tables(db)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0019")
    assert current_revision(db.engine) == "0019"
    assert not {"claim_coordination", "claim_crossover"} & _tables(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert {"claim_coordination", "claim_crossover"} <= _tables(db)
