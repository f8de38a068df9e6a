"""``otbill check`` warns when the PostgreSQL role escapes row-level security (a superuser or
BYPASSRLS) and says nothing of it for a plain role."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

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


def test_check_names_a_plain_role_that_may_not_create_temporary_tables(
    db: Database, tmp_path: Path
) -> None:
    """Bulk writes under row-level security go through a temporary table: a plain role without
    the database's TEMPORARY right is a mistake ``otbill check`` names (a database of its own,
    so the shared one keeps PUBLIC's right)."""
    if db.backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    name, role = f"otbill_notemp_{uuid.uuid4().hex[:8]}", f"otbill_check_{uuid.uuid4().hex[:8]}"
    admin = create_engine(db.engine.url.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'REVOKE TEMPORARY ON DATABASE "{name}" FROM PUBLIC'))
        conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
    url = db.engine.url.set(database=name, username=role, query={})
    settings = Settings(data_dir=tmp_path, database_url=url.render_as_string(hide_password=False),
                        secret_key=KEY)  # fmt: skip

    def named() -> list[str]:
        found = find_mistakes(settings, environ={SHARED_DIR_ENV: str(tmp_path)})
        return [f.what for f in found if "temporary tables" in f.what]

    try:
        (mistake,) = named()
        assert f"role {role} may not create temporary tables in the database {name}" in mistake
        with admin.connect() as conn:
            conn.execute(text(f'GRANT TEMPORARY ON DATABASE "{name}" TO {role}'))
        assert named() == []
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
