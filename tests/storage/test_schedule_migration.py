"""Migration 0010 on a database with appointments: it goes down to 0009 (the appointments go
with their table) and up again to an empty schedule."""

from __future__ import annotations

import datetime as dt

from alembic import command

from otbill.domain.schedule import Appointment
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic


def test_down_to_0009_and_up_again_with_appointments(db: Database) -> None:
    ids = seed_clinic(db)
    day = dt.date(2025, 3, 3)
    with db.unit_of_work(ids.clinic) as uow:
        uow.schedule.add(Appointment(0, ids.otr, None, ids.patient, ids.coverage, day, 540, 45,
                                     "daily"))  # fmt: skip
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert current_revision(db.engine) == "0009"
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.schedule.between(day, day) == []
