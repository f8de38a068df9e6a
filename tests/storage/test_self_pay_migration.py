"""Migration 0021: self-pay tables and patient entry kinds come, and go again on the way down."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

_ENTRY = (
    "INSERT INTO patient_posting (clinic_id, source_key, patient_id, kind, amount_cents, source,"
    " posted_on, posted_at) VALUES (:c, :k, :p, :kind, 100, 'test', :on, :at)"
)


def _entry(db: Database, ids, key: str, kind: str) -> None:
    now = dt.datetime(2025, 3, 1, 12)
    with db.engine.begin() as connection:
        connection.execute(text(_ENTRY), {"c": ids.clinic, "k": key, "p": ids.patient,
                                          "kind": kind, "on": now.date(), "at": now})  # fmt: skip


def test_down_to_0020_and_up_again(db: Database) -> None:
    ids = seed_clinic(db)
    _entry(db, ids, "old", "opening-balance")
    _entry(db, ids, "new", "self-pay-charge")
    with pytest.raises(IntegrityError):
        _entry(db, ids, "bad", "payment-by-goat")
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0020")
    assert current_revision(db.engine) == "0020"
    names = set(inspect(db.engine).get_table_names())
    assert not names & {
        "self_pay_rule",
        "self_pay_package",
        "patient_package",
        "self_pay_household",
    }
    with db.engine.connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM patient_posting")).scalars().all()
    assert kinds == ["opening-balance"]  # the new kinds' entries go with them
    with pytest.raises(IntegrityError):
        _entry(db, ids, "again", "discount")
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    _entry(db, ids, "again", "discount")
    columns = {c["name"] for c in inspect(db.engine).get_columns("patient_posting")}
    assert {"visit_id", "package_id"} <= columns
