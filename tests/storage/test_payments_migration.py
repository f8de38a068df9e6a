"""Migration 0022: payments, applications and write-offs come and go; the account takes the
kinds payments write and still refuses any other."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

_INSERT = text(
    "INSERT INTO patient_posting (clinic_id, source_key, patient_id, kind, amount_cents, source,"
    " posted_on, posted_at) VALUES (:c, :k, :p, :kind, -100, 'test', :on, :on)"
)


def _insert(db: Database, clinic: int, patient: int, kind: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(_INSERT, {"c": clinic, "k": f"k-{kind}", "p": patient, "kind": kind,
                                     "on": dt.datetime(2025, 4, 1)})  # fmt: skip


def test_down_to_0021_and_up_again(db: Database) -> None:
    ids = seed_clinic(db)
    _insert(db, ids.clinic, ids.patient, "payment")
    with pytest.raises(Exception, match="(?i)check|constraint"):
        _insert(db, ids.clinic, ids.patient, "gift")
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0021")
    assert current_revision(db.engine) == "0021"
    tables = set(inspect(db.engine).get_table_names())
    assert not tables & {"patient_payment", "payment_application", "write_off"}
    with db.engine.connect() as connection:  # the payment entry went with its table
        kinds = connection.execute(text("SELECT kind FROM patient_posting")).scalars().all()
    assert kinds == []
    with pytest.raises(Exception, match="(?i)check|constraint"):
        _insert(db, ids.clinic, ids.patient, "refund")
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    _insert(db, ids.clinic, ids.patient, "refund")
