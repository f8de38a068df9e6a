"""Migration 0036: the outbox columns of ``edi_file`` go down and up with rows present; a file
sent before it counts as sent (its ``sent_at`` is its ``at``), so no old file is sent again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, upgrade
from support.clinickit import seed_clinic

ROW = ("INSERT INTO edi_file (clinic_id, direction, kind, name, sha256, at, summary) "
       "VALUES (:clinic, 'out', '837P', 'A-000000001.837', :sha, :at, '{}')")  # fmt: skip


def _migrate(db: Database, verb: str, to: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, to)


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("edi_file")}


def test_outbox_columns_down_and_up(db: Database) -> None:
    clinic = seed_clinic(db).clinic
    assert {"outgoing", "sent_at"} <= _columns(db)
    _migrate(db, "downgrade", "0035")
    assert not {"outgoing", "sent_at"} & _columns(db)
    with db.engine.begin() as conn:
        conn.execute(text(ROW), {"clinic": clinic, "sha": "a" * 64, "at": "2026-01-02 03:04:05"})
    upgrade(db.engine)
    with db.engine.connect() as conn:
        sent_at, outgoing = conn.execute(text("SELECT sent_at, outgoing FROM edi_file")).one()
    assert str(sent_at).startswith("2026-01-02 03:04:05") and outgoing is None
