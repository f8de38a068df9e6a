"""Migration 0029: the ``job`` table (both databases) and procrastinate's schema (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

_JOB = (
    "INSERT INTO job (clinic_id, kind, arguments, idempotency_key, state, done, total, note,"
    " error, attempts, created_at) VALUES (:c, 'test.kind', '{}', 'k1', 'queued', 0, 0, '',"
    " '', 0, :at)"
)


def _downgrade(db: Database, to: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, to)


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_job_table_and_queue_schema_down_and_up(db: Database) -> None:
    ids = seed_clinic(db)
    with db.engine.begin() as connection:
        connection.execute(text(_JOB), {"c": ids.clinic, "at": dt.datetime(2026, 1, 1)})
    on_postgres = db.backend == "postgresql"
    assert "job" in _tables(db)
    assert ("procrastinate_jobs" in _tables(db)) is on_postgres
    _downgrade(db, "0028")
    assert current_revision(db.engine) == "0028"
    assert not {t for t in _tables(db) if t == "job" or t.startswith("procrastinate")}
    if on_postgres:  # the functions and types went too, so the schema file applies again
        with db.engine.connect() as connection:
            left = connection.execute(
                text(
                    "SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%'"
                    " AND pronamespace = current_schema()::regnamespace"
                )
            ).scalar_one()
        assert left == 0
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert ("procrastinate_jobs" in _tables(db)) is on_postgres
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM patient")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM job")).scalar_one() == 0
