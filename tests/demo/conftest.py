"""Demo tests share the storage tests' ``db`` fixture (SQLite and PostgreSQL)."""

from __future__ import annotations

from support.db_fixtures import _pg_schema, _sqlite_template, db  # noqa: F401
from support.passwords import fast_password_hashing  # noqa: F401
