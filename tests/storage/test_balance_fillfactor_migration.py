"""Migration 0038: the kept balances' tables leave half of each page free on PostgreSQL (their
updates then stay on their page), and go back to full pages when it is downgraded."""

from __future__ import annotations

from sqlalchemy import text

from otbill.storage import Database
from otbill.storage.migrate import current_revision, head_revision, upgrade
from support.clinickit import seed_clinic
from support.migrationkit import downgrade_to

TABLES = ("claim_line_balance", "claim_outcome")


def _options(db: Database) -> dict[str, list[str] | None]:
    if db.backend != "postgresql":
        return {}
    query = text("SELECT relname, reloptions FROM pg_class WHERE oid = CAST(:t AS regclass)")
    with db.engine.connect() as connection:
        return {t: connection.execute(query, {"t": t}).one()[1] for t in TABLES}


def test_fillfactor_down_and_up(db: Database) -> None:
    seed_clinic(db)
    half = {t: ["fillfactor=50"] for t in TABLES} if db.backend == "postgresql" else {}
    assert _options(db) == half
    downgrade_to(db, "0037")
    assert current_revision(db.engine) == "0037"
    assert _options(db) == ({t: None for t in TABLES} if half else {})
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _options(db) == half
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM patient")).scalar_one() == 1
