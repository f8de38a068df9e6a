"""Service tests share the storage tests' ``db`` fixture (SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "storage"))

from conftest_db import _pg_schema, _sqlite_template, db  # noqa: F401
