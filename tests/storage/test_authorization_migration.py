"""Migration 0008 on a database with data: existing authorizations become approved for every
code, and it goes down and up again while visits refer to them."""

from __future__ import annotations

import datetime as dt

from alembic import command

from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.claimflow import record_visit
from support.clinickit import seed_clinic


def test_down_to_0007_and_up_again_with_visits_under_an_authorization(db: Database) -> None:
    ids = seed_clinic(db)
    day = dt.date(2025, 3, 3)
    record_visit(db, ids, day, [visits.Service("97530", 30)], coverage=ids.commercial_coverage)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    assert current_revision(db.engine) == "0007"
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        (auth,) = uow.authorizations.of()
        assert (auth.number, auth.status, auth.codes) == ("AUTH-1", "approved", ())
        assert uow.authorizations.covering_on(ids.commercial_coverage, day) == auth
