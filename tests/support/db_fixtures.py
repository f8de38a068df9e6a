"""The ``db`` fixture: a fresh, migrated database per test, on SQLite and on PostgreSQL.

Imported by the conftest of tests/storage and tests/services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from otbill.storage import Database
from support.dbkit import (
    BACKENDS,
    _skip_postgres,
    make_database,
    pg_session_schema,
    sqlite_template,
)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[str | None]:
    if _skip_postgres():
        yield None
        return
    yield from pg_session_schema()


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path
) -> Iterator[Database]:
    schema = request.getfixturevalue("_pg_schema") if request.param == "postgres" else None
    yield from make_database(request.param, tmp_path, _sqlite_template, schema)
