"""The staging tables (:mod:`otbill.storage.bulk_rows`' temporary tables) a database connection
has made, remembered with the connection: a bulk write then does not ask PostgreSQL to make its
table again (a round trip for each table of each step of an 835, on the step's critical path).

A temporary table made in a transaction is gone when that transaction (or the savepoint it was
made in) rolls back, so a table counts as made only once the transaction that made it committed;
until then each write asks again (``CREATE ... IF NOT EXISTS``, harmless when it is there). A
connection made afresh starts with nothing remembered (SQLAlchemy clears its ``info``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

__all__ = ["made"]

_MADE = "otbill.stages.made"
_PENDING = "otbill.stages.pending"


def made(session: Session, stage: str) -> bool:
    """Whether ``stage`` is known to exist on the session's connection; when not, the caller
    makes it now, and it is remembered once this transaction commits."""
    info = session.connection().info
    if stage in info.get(_MADE, ()):
        return True
    info.setdefault(_PENDING, set()).add(stage)
    return False


@event.listens_for(Engine, "commit")
def _committed(connection: Connection) -> None:
    pending = connection.info.pop(_PENDING, None)
    if pending:
        connection.info.setdefault(_MADE, set()).update(pending)


@event.listens_for(Engine, "rollback")
def _rolled_back(connection: Connection) -> None:
    connection.info.pop(_PENDING, None)


@event.listens_for(Engine, "rollback_savepoint")
def _savepoint_rolled_back(connection: Connection, _name: str, _context: object) -> None:
    # which savepoint made which table is not kept: forget them all (they are asked for again)
    connection.info.pop(_PENDING, None)
