"""Migration 0009 on a database with data: it goes down to 0008 and up again while visits and a
written plan of care refer to plans, and the plans keep their dates."""

from __future__ import annotations

import datetime as dt

from alembic import command

from otbill.services.frontdesk import plans_of_care, referrals
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.claimflow import record_visit
from support.clinickit import make_npi, seed_clinic


def test_down_to_0008_and_up_again_with_visits_under_a_plan(db: Database) -> None:
    ids = seed_clinic(db)
    record_visit(db, ids, dt.date(2025, 3, 3), [visits.Service("97530", 30)])
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        doctor = referrals.add_physician(uow, first_name="Sam", last_name="Ng",
                                         npi_number=make_npi(700))  # fmt: skip
        given = plans_of_care.PlanInput(ids.patient, doctor, dt.date(2025, 3, 10), ["M62.81"],
                                        "Dress", 2, 8)  # fmt: skip
        plans_of_care.write_plan(uow, given)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert current_revision(db.engine) == "0008"
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        plan, detail = uow.plans.get(ids.plan)
    assert (plan.start, plan.certified_on) == (dt.date(2025, 2, 3), dt.date(2025, 2, 5))
    assert detail.physician_id is None
