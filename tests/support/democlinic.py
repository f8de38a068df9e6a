"""The demo clinic loaded once per run and copied into each test's empty database.

Loading the demo records 1,300 visits one service call at a time (seconds on SQLite, more on
PostgreSQL). Tests that only need "a database holding the demo" import ``load_demo_copy`` in place
of ``load_demo``: the first call loads it for real into a SQLite file and keeps that file; every
call then copies it into the test's fresh database (the file itself on SQLite, its rows on
PostgreSQL). The copy is exact because the load is deterministic for a seed; the loader itself is
tested on both backends, with the real thing, by ``tests/services/test_demo_cli.py``.
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Connection, text

from otbill.demo.load import DemoReport, load_demo
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.storage import Database
from otbill.storage.engine import make_engine
from otbill.storage.tables import Base

__all__ = ["load_demo_copy"]

# (day, seed, rules, payer profiles, reference files) -> (the real load's report, its SQLite file)
_SNAPSHOTS: dict[tuple[object, ...], tuple[DemoReport, Path]] = {}


def load_demo_copy(
    db: Database, run: ScrubContext, rules: list[Rule], seed: int = 2025
) -> DemoReport:
    """What ``load_demo(db, run, rules, seed)`` leaves in the empty ``db``, from a snapshot."""
    key = (run.today, seed, tuple(r.code for r in rules), tuple(sorted(run.profiles)), _tables(run))
    if key not in _SNAPSHOTS:
        n = len(_SNAPSHOTS)
        if db.backend == "sqlite":  # load straight into the test's database, then keep a copy
            report = load_demo(db, run, rules, seed)
            _SNAPSHOTS[key] = (report, _save_sqlite(db, n))
            return _copy_of(report)
        scratch = Database(f"sqlite:///{_snapshot_folder() / f'scratch{n}.db'}")
        _SNAPSHOTS[key] = (load_demo(scratch, run, rules, seed), _save_sqlite(scratch, n))
    report, snapshot = _SNAPSHOTS[key]
    if db.backend == "sqlite":
        _restore_sqlite(db, snapshot)
    else:
        _copy_rows(snapshot, db)
    return _copy_of(report)


def _tables(run: ScrubContext) -> tuple[object, ...]:
    """The imported reference files the run reads (none in a fresh data folder: curated tables)."""
    lookups = (run.ncci, run.mue, run.fee_schedule)
    dirs = sorted({d for lookup in lookups if lookup is not None for d in lookup.dirs})
    files = sorted(
        (str(f.relative_to(d)), f.stat().st_size)
        for d in dirs
        if d.is_dir()
        for f in d.rglob("*")
        if f.is_file()
    )
    return (tuple(files), getattr(run.fee_schedule, "locality", None))


def _copy_of(report: DemoReport) -> DemoReport:
    return dataclasses.replace(report, claims_by_status=dict(report.claims_by_status))


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


def _save_sqlite(db: Database, n: int) -> Path:
    db.dispose()
    target = _snapshot_folder() / f"demo{n}.db"
    # the backup API copies a consistent database whatever is still in the WAL file
    with sqlite3.connect(_sqlite_file(db)) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def _restore_sqlite(db: Database, snapshot: Path) -> None:
    db.dispose()
    path = _sqlite_file(db)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(snapshot, path)


def _copy_rows(snapshot: Path, db: Database) -> None:
    """Every row of the snapshot into ``db`` (PostgreSQL), ids and all, table by table."""
    source = make_engine(f"sqlite:///{snapshot}")
    try:
        with source.connect() as rows_from, db.engine.begin() as conn:
            # rows the loader already checked once: no triggers, no foreign-key checks
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in Base.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in rows_from.execute(table.select())]
                if rows:
                    conn.execute(table.insert(), rows)
            _advance_sequences(conn)
    finally:
        source.dispose()


def _advance_sequences(conn: Connection) -> None:
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
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
            ),
            {"table": f'"{table}"', "column": column},
        )
