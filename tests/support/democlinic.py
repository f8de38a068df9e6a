"""The demo clinic loaded once per run and copied into each test's empty database.

Loading the demo records 1,300 visits one service call at a time (seconds on SQLite, more on
PostgreSQL). Tests that only need "a database holding the demo" import ``load_demo_copy`` in place
of ``load_demo``: the first call for a backend loads it for real and keeps a snapshot; later calls
copy the snapshot into the test's fresh database. The copy is exact because the load is
deterministic for a seed (``tests/services/test_demo_cli.py`` checks that with the real loader).

SQLite keeps the snapshot as a file; PostgreSQL as a schema beside the run's test schema (named
``<schema>_demo<n>``, dropped with it by ``support.dbkit``).
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import text

from otbill.demo.load import DemoReport, load_demo
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.storage import Database
from otbill.storage.tables import Base

__all__ = ["load_demo_copy"]

# (backend, day, seed, rule codes, payer profiles) -> (the real load's report, where its copy is)
_SNAPSHOTS: dict[tuple[object, ...], tuple[DemoReport, str]] = {}


def load_demo_copy(
    db: Database, run: ScrubContext, rules: list[Rule], seed: int = 2025
) -> DemoReport:
    """What ``load_demo(db, run, rules, seed)`` leaves in the empty ``db``, from a snapshot."""
    key = (db.backend, run.today, seed, tuple(r.code for r in rules), tuple(sorted(run.profiles)))
    if key not in _SNAPSHOTS:
        report = load_demo(db, run, rules, seed)
        _SNAPSHOTS[key] = (report, _save(db, len(_SNAPSHOTS)))
        return _copy_of(report)
    report, where = _SNAPSHOTS[key]
    _restore(db, where)
    return _copy_of(report)


def _copy_of(report: DemoReport) -> DemoReport:
    return dataclasses.replace(report, claims_by_status=dict(report.claims_by_status))


def _save(db: Database, n: int) -> str:
    if db.backend == "sqlite":
        return _save_sqlite(db, n)
    return _save_postgres(db, n)


def _restore(db: Database, where: str) -> None:
    if db.backend == "sqlite":
        _restore_sqlite(db, where)
    else:
        _restore_postgres(db, where)


def _sqlite_file(db: Database) -> Path:
    name = db.engine.url.database
    assert name and name != ":memory:", "the demo copy needs a file database"
    return Path(name)


_folder: Path | None = None


def _snapshot_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="otbill-demo-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def _save_sqlite(db: Database, n: int) -> str:
    db.dispose()
    target = _snapshot_folder() / f"demo{n}.db"
    # the backup API copies a consistent database whatever is still in the WAL file
    with sqlite3.connect(_sqlite_file(db)) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return str(target)


def _restore_sqlite(db: Database, where: str) -> None:
    db.dispose()
    path = _sqlite_file(db)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(where, path)


def _save_postgres(db: Database, n: int) -> str:
    with db.engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        snapshot = f"{schema}_demo{n}"
        conn.execute(text(f'CREATE SCHEMA "{snapshot}"'))
        for table in Base.metadata.sorted_tables:
            conn.execute(text(f'CREATE TABLE "{snapshot}"."{table.name}" AS TABLE "{table.name}"'))
    return snapshot


def _restore_postgres(db: Database, snapshot: str) -> None:
    with db.engine.begin() as conn:
        # a raw copy of rows already checked once: no triggers, no foreign-key checks
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            conn.execute(
                text(
                    f'INSERT INTO "{table.name}" OVERRIDING SYSTEM VALUE '
                    f'SELECT * FROM "{snapshot}"."{table.name}"'
                )
            )
        _advance_sequences(conn)


def _advance_sequences(conn) -> None:  # type: ignore[no-untyped-def]
    """Point every id sequence past the copied rows, as the real load left them."""
    owned = conn.execute(
        text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')"
        )
    ).all()
    for table, column in owned:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
            ),
            {"table": f'"{table}"', "column": column},
        )
