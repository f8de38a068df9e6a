"""``make_engine(url)``: one engine per database, configured for each backend.

Why the SQLite pragmas: foreign keys are off by default in SQLite (so they are turned on), WAL
lets readers run while a writer writes, and a busy timeout makes a second writer wait instead of
failing at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["BUSY_TIMEOUT_MS", "make_engine"]

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
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)
