"""Migration 0014: PLB work items queued before it (amount 0, the amount only in the reason) get
their amount back as kind PLB; down to 0013 and up again keeps the work queue."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import text

from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic
from support.remitkit import make_835

BODY = """CLP*NOPE-1*4*100*0*0*MB*ICN9*11*1
CAS*CO*50*100
PLB*1512345678*20251231*L6:INT77*-3.50*WO:ICN42*20"""


def test_old_plb_items_get_their_amounts(db: Database) -> None:
    ids = seed_clinic(db)
    post_remittance(
        db, ids.clinic, ids.biller, make_835(BODY, "-16.50"), today=dt.date(2025, 3, 10)
    )
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
    assert current_revision(db.engine) == "0013"
    with db.engine.begin() as connection:  # as otbill queued them before 0014
        for reference, amount in (("PLB L6 INT77", "-3.50"), ("PLB WO ICN42", "20.00")):
            connection.execute(
                text("UPDATE edi_work_item SET reason = :r WHERE reference = :ref"),
                {"r": f"provider-level adjustment {reference[4:6]} of {amount}: post by hand",
                 "ref": reference},
            )  # fmt: skip
        before = connection.execute(text("SELECT kind, paid_cents FROM edi_work_item")).all()
    assert sorted(before) == [("835", 0), ("835", 0), ("835", 0)]
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT reference, kind, paid_cents FROM edi_work_item ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("NOPE-1", "835", 0),
        ("PLB L6 INT77", "PLB", 350),
        ("PLB WO ICN42", "PLB", -2000),
    ]
