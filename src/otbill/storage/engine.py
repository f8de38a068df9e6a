"""``make_engine(url)``: one engine per database, configured for each backend.

Why the SQLite pragmas: foreign keys are off by default in SQLite (so they are turned on), WAL
lets readers run while a writer writes, and a busy timeout makes a second writer wait instead of
failing at once.

Why these pool settings for PostgreSQL: each web process serves requests from a thread pool, so it
keeps ``OTBILL_DB_POOL_SIZE`` connections open (default 5) and opens up to
``OTBILL_DB_MAX_OVERFLOW`` more under a burst (default 10), waiting ``OTBILL_DB_POOL_TIMEOUT``
seconds (default 30) for one before failing; N processes hold at most N x (size + overflow) of the
server's ``max_connections`` (100 by default). A connection is tested before use
(``OTBILL_DB_POOL_PRE_PING``, default 1: a server restart or a proxy's idle cut costs one retry, not
an error page) and replaced after ``OTBILL_DB_POOL_RECYCLE`` seconds (default 1800).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from otbill.errors import ConfigError

__all__ = ["BUSY_TIMEOUT_MS", "make_engine", "pool_options"]

#: How long a second SQLite writer waits for the first before :class:`~otbill.storage.busy.
#: DatabaseBusy`. Long postings commit in small transactions, so no writer holds it this long.
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.close()


#: Environment variable -> (create_engine option, default) of the PostgreSQL connection pool.
POOL_SETTINGS = {
    "OTBILL_DB_POOL_SIZE": ("pool_size", 5),
    "OTBILL_DB_MAX_OVERFLOW": ("max_overflow", 10),
    "OTBILL_DB_POOL_TIMEOUT": ("pool_timeout", 30),
    "OTBILL_DB_POOL_RECYCLE": ("pool_recycle", 1800),
    "OTBILL_DB_POOL_PRE_PING": ("pool_pre_ping", 1),
}


def pool_options(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The PostgreSQL pool's ``create_engine`` options from ``OTBILL_DB_POOL_*`` (defaults above)."""
    env = os.environ if environ is None else environ
    options: dict[str, Any] = {}
    for name, (option, default) in POOL_SETTINGS.items():
        raw = env.get(name, "").strip()
        if raw and not raw.isdigit():
            raise ConfigError(f"{name}={raw[:20]!r}: expected a whole number (default {default})")
        value = int(raw) if raw else default
        options[option] = bool(value) if option == "pool_pre_ping" else value
    return options


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``).

    For SQLite the file's directory is created when missing (the default lives in the user's data
    directory, which may not exist yet).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, **{**pool_options(), **options})
