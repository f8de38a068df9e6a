"""Migration 0027: a visit's coverage becomes optional (a self-pay visit), rows kept both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

_VISIT = (
    "INSERT INTO visit (clinic_id, patient_id, coverage_id, provider_id, date, place_of_service,"
    " telehealth) VALUES (:c, :p, :cov, :prov, :on, '11', :tele)"
)


def _visit(db: Database, ids, coverage: int | None) -> None:
    with db.engine.begin() as connection:
        values = {"c": ids.clinic, "p": ids.patient, "cov": coverage, "prov": ids.otr}
        connection.execute(text(_VISIT), {**values, "on": dt.date(2025, 3, 3), "tele": False})


def _nullable(db: Database) -> bool:
    columns = {c["name"]: c for c in inspect(db.engine).get_columns("visit")}
    return bool(columns["coverage_id"]["nullable"])


def _downgrade(db: Database, to: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, to)


def test_coverage_optional_and_back(db: Database) -> None:
    ids = seed_clinic(db)
    assert _nullable(db)
    _visit(db, ids, ids.coverage)
    _visit(db, ids, None)  # a self-pay visit
    with pytest.raises(RuntimeError, match="self-pay visits have no coverage"):
        _downgrade(db, "0026")
    assert current_revision(db.engine) == head_revision()
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM visit WHERE coverage_id IS NULL"))
    _downgrade(db, "0026")
    assert current_revision(db.engine) == "0026"
    assert not _nullable(db)
    with pytest.raises(IntegrityError):
        _visit(db, ids, None)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _nullable(db)
    with db.engine.connect() as connection:
        kept = connection.execute(text("SELECT coverage_id FROM visit")).scalars().all()
    assert kept == [ids.coverage]  # the insured visit survived both rebuilds
