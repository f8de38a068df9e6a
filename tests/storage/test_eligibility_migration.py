"""Migration 0017: the eligibility_check table comes and goes; coverages keep their last check."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect

from otbill.domain.eligibility import StoredCheck
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic


def test_down_to_0016_and_up_again(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        check = StoredCheck(ids.coverage, dt.date(2025, 3, 1), dt.date(2025, 3, 3), "T1", True,
                            "active", {"lines": ["Coverage: active"]}, "ISA*...")  # fmt: skip
        uow.eligibility.add(check, by_user=ids.biller)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    assert current_revision(db.engine) == "0016"
    assert "eligibility_check" not in inspect(db.engine).get_table_names()
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.eligibility.latest(ids.coverage) is None
        assert uow.patients.coverage(ids.coverage).eligibility_verified_on == dt.date(2025, 2, 1)
        uow.eligibility.add(check, by_user=None)
        stored = uow.eligibility.latest(ids.coverage)
        assert stored is not None and stored.benefits == {"lines": ["Coverage: active"]}
