"""Migration 0012 on a database with data: claims already edited keep their editors, read back
from the audit trail, so an upgrade does not let an earlier editor approve (issue 11, item 1)."""

from __future__ import annotations

from alembic import command

from otbill.services.claims import lifecycle as claims
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.claimflow import RULES, ready_claim, scrub_run
from support.clinickit import seed_clinic


def test_upgrading_to_0012_finds_the_editors_in_the_audit_trail(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    for user, modifiers in ((ids.approver2, ["GO", "59"]), (ids.biller, ["GO"])):
        with db.unit_of_work(ids.clinic, user) as uow:
            claims.edit_line(uow, claim_id, 1, modifiers=modifiers, run=scrub_run(), rules=RULES)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert current_revision(db.engine) == "0011"
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        found = {(i.user_id, i.what) for i in uow.claims.editors.of([claim_id])[claim_id]}
    assert found == {
        (ids.biller, "created the claim"),
        (ids.approver2, "edited line 1"),
        (ids.biller, "edited line 1"),
    }
