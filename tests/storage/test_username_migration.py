"""Migration 0013 (usernames unique without case) goes down to 0012 and up again; a database
holding two names that differ only in case is not upgraded silently: the upgrade names them."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import update

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from otbill.storage.tables import UserRow
from support.clinickit import seed_clinic


def _down_to_0012(db: Database) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert current_revision(db.engine) == "0012"


def test_down_to_0012_and_up_again(db: Database) -> None:
    seed_clinic(db)
    _down_to_0012(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()


def test_names_differing_only_in_case_stop_the_upgrade_and_are_named(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic) as uow:
        uow.users.add("Rita", "Rita Cole", "x")
        uow.users.add("Bea", "Bea Biller", "x")
    _down_to_0012(db)
    with db.engine.begin() as connection:  # before 0013 this was allowed
        connection.execute(update(UserRow).where(UserRow.username == "Bea").values(username="rita"))
    with pytest.raises(RuntimeError, match="user name 'rita'"):
        upgrade(db.engine)
