"""A database seen through a plain PostgreSQL role (no superuser, no BYPASSRLS), as production
should run, so row-level security holds: for the row-level-security and company tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import event, text

from otbill.storage import Database
from otbill.storage.engine import make_engine
from otbill.storage.row_security import clinic_tables
from support.dbkit import pg_schema_url

__all__ = ["plain_role_database", "table_counts"]


@pytest.fixture
def plain_role_database(db: Database) -> Iterator[Database]:
    """``db`` (PostgreSQL only) reached as a fresh role with table rights and nothing more."""
    if db.backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    role = f"otbill_plain_{uuid.uuid4().hex[:10]}"
    schema = db.engine.url.query["options"].split("=")[-1]  # type: ignore[union-attr]
    with db.engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA "{schema}" TO {role}'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}'))
    engine = make_engine(pg_schema_url(schema))

    @event.listens_for(engine, "connect")
    def _as_plain_role(dbapi_connection: object, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"SET ROLE {role}")

    plain = Database(engine, migrate=False)
    try:
        yield plain
    finally:
        plain.dispose()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))


def table_counts(session: object, where: str = "true") -> dict[str, int]:
    """Rows per table with a ``clinic_id`` that ``session`` sees (matching ``where``)."""
    conn = session.connection()  # type: ignore[attr-defined]
    return {
        table: conn.execute(text(f'SELECT count(*) FROM "{table}" WHERE {where}')).scalar_one()
        for table in clinic_tables(conn)
    }
