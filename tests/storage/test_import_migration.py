"""Migration 0011 goes down to 0010 and up again on a database with imported records (the
mapping table stands alone: nothing refers to it)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic


def test_down_to_0010_and_up_again_with_an_import_mapping(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        uow.imports.remember("legacy", "patients", {"P-1": ids.patient})
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert current_revision(db.engine) == "0010"
    assert "legacy_import" not in inspect(db.engine).get_table_names()
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.imports.mapped("legacy", "patients") == {}
        uow.imports.remember("legacy", "patients", {"P-1": ids.patient})
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.imports.mapped("legacy", "patients") == {"P-1": ids.patient}
