"""Database fixtures for the storage and services tests: every test runs on SQLite and PostgreSQL.

PostgreSQL (``OTBILL_TEST_POSTGRES_URL``, default the CI server at 127.0.0.1:5432) gets one fresh
schema per test run, migrated once and dropped at the end; each test starts from empty tables
(TRUNCATE). SQLite gets a fresh file per test, copied from a migrated template. When PostgreSQL is
unreachable the PostgreSQL tests FAIL; set ``OTBILL_SKIP_POSTGRES=1`` to skip them on purpose.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from otbill.storage import Database, upgrade
from otbill.storage.tables import Base

__all__ = [
    "BACKENDS",
    "PG_URL",
    "make_database",
    "pg_schema_url",
    "selects_sent",
    "sqlite_template",
]

PG_URL = os.environ.get(
    "OTBILL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _skip_postgres() -> bool:
    return os.environ.get("OTBILL_SKIP_POSTGRES") == "1"


def pg_schema_url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def _pg_available() -> None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        pytest.fail(
            f"PostgreSQL at {PG_URL} is unreachable ({type(exc).__name__}: {exc}); "
            "start it, or set OTBILL_SKIP_POSTGRES=1 to skip the PostgreSQL tests on purpose",
            pytrace=False,
        )


def pg_session_schema() -> Iterator[str]:
    """A fresh, migrated schema for this test run; dropped afterwards."""
    _pg_available()
    schema = f"otbill_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        upgrade(pg_schema_url(schema))
        yield schema
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate(db: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def make_database(
    backend: str, tmp_path: Path, template: Path | None, schema: str | None
) -> Iterator[Database]:
    if backend == "sqlite":
        assert template is not None
        path = tmp_path / "otbill.db"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
    else:
        if _skip_postgres():
            pytest.skip("OTBILL_SKIP_POSTGRES=1")
        assert schema is not None
        db = Database(pg_schema_url(schema))
        _truncate(db)
    try:
        yield db
    finally:
        db.dispose()


def selects_sent(
    db: Database, read: Callable[[Session], Any], starts: tuple[str, ...] = ("SELECT",)
) -> list[tuple[str, Any]]:
    """The statements (starting with ``starts``) and parameters that ``read`` sent, in a bare
    session of ``db``: what the plan tests EXPLAIN. Fails when it sent none."""
    sent: list[tuple[str, Any]] = []

    def record(_c: object, _cur: object, statement: str, params: Any, *_: object) -> None:
        if statement.lstrip().upper().startswith(starts):
            sent.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session() as session:
            read(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sent, "the read sent no SELECT"
    return sent
