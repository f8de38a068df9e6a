"""Alembic environment: the package's metadata, and the connection the caller hands over."""

from __future__ import annotations

from alembic import context

from otbill.storage.engine import make_engine
from otbill.storage.migrate import is_otbill_name
from otbill.storage.row_security import ALL_CLINICS, set_scope
from otbill.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
        include_name=is_otbill_name,
    )
    # migrations touch every clinic's rows: the named all-clinics scope (row-level security)
    set_scope(connection, ALL_CLINICS)  # type: ignore[arg-type]
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection: call otbill.storage.migrate.upgrade(url)")
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) mode is not supported; run upgrade(url)")
run()
