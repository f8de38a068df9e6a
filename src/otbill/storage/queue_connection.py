"""The libpq address procrastinate connects with, taken from the database's engine.

Why here: only storage knows SQLAlchemy's URL; the job queue (psycopg underneath procrastinate)
needs the same server, database and ``search_path`` (the tests' per-run schemas travel in the
URL's ``options``), without the ``+psycopg`` driver suffix.
"""

from __future__ import annotations

from otbill.storage.uow import Database

__all__ = ["libpq_address"]


def libpq_address(db: Database) -> str:
    """``postgresql://user@host:port/name?options=...`` for ``db`` (PostgreSQL only)."""
    url = db.engine.url
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"the job queue needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
