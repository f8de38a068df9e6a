"""Migration 0019: the clinic's publish_prices flag comes (on for existing clinics) and goes."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("clinic")}


def test_down_to_0018_and_up_again_publishes_existing_clinics(db: Database) -> None:
    ids = seed_clinic(db)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0018")
    assert current_revision(db.engine) == "0018"
    assert "publish_prices" not in _columns(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as connection:
        flag = connection.execute(
            text("SELECT publish_prices FROM clinic WHERE id = :id"), {"id": ids.clinic}
        ).scalar_one()
    assert bool(flag) is True
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.clinics.publishes_prices() is True
