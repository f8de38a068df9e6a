"""``otbill check`` warns when the PostgreSQL role escapes row-level security (a superuser or
BYPASSRLS) and says nothing of it for a plain role."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from otbill.cli.check import SHARED_DIR_ENV, find_mistakes
from otbill.settings import Settings
from otbill.storage import Database
from support.db_fixtures import _pg_schema, _sqlite_template, db
from support.passwords import fast_password_hashing  # noqa: F401

_ = (_pg_schema, _sqlite_template, db)  # fixtures, used by name
KEY = "a-random-key-of-enough-length-0123456789"


def _warnings(url: str, folder: Path) -> list[str]:
    settings = Settings(data_dir=folder, database_url=url, secret_key=KEY)
    found = find_mistakes(settings, environ={SHARED_DIR_ENV: str(folder)})
    return [f.what for f in found if "row-level security" in f.what]


def test_check_warns_of_a_role_that_bypasses_row_security(db: Database, tmp_path: Path) -> None:
    if db.backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    url = db.engine.url
    (warning,) = _warnings(url.render_as_string(hide_password=False), tmp_path)
    assert "is a superuser" in warning
    role = f"otbill_check_{uuid.uuid4().hex[:8]}"
    schema = str(url.query["options"]).split("=")[-1]
    with db.engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER BYPASSRLS"))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}'))
    try:
        as_role = url.set(username=role).render_as_string(hide_password=False)
        (warning,) = _warnings(as_role, tmp_path)
        assert f"{role} has BYPASSRLS" in warning
        with db.engine.begin() as conn:
            conn.execute(text(f"ALTER ROLE {role} NOBYPASSRLS"))
        assert _warnings(as_role, tmp_path) == []
    finally:
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
