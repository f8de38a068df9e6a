"""A database too busy to take a write right now, as one error every interface can show plainly.

Why: on SQLite one writer at a time holds the file; a second writer waits ``busy_timeout`` (see
:mod:`otbill.storage.engine`) and then gets ``database is locked``. On PostgreSQL a lock wait can
end in a lock timeout, a deadlock or a serialization failure. None of these is a bug in the
request: trying again in a moment succeeds. :class:`DatabaseBusy` says so in plain words; the web
answers it with 503 and ``Retry-After``, the CLI with one line and exit status 2, and a long job
(posting an 835) retries its current small transaction.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

from otbill.errors import OtbillError

__all__ = ["DRIVER_ERRORS", "RETRY_AFTER_SECONDS", "DatabaseBusy", "is_busy"]

#: The driver errors a busy database raises outside a unit of work (for the web's handler).
DRIVER_ERRORS: tuple[type[Exception], ...] = (OperationalError,)

#: What the web tells a client to wait before trying again.
RETRY_AFTER_SECONDS = 5

_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
# lock_not_available, deadlock_detected, serialization_failure (PostgreSQL error codes, appendix A)
_PG_BUSY = frozenset({"55P03", "40P01", "40001"})


class DatabaseBusy(OtbillError):
    """Another writer holds the database; nothing of this operation was saved. Try again."""

    def __init__(self, detail: str = "", message: str | None = None) -> None:
        self.detail = detail  # the database's own words, for the log
        super().__init__(
            message or "the database is busy (another change is being saved); try again in a moment"
        )


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is the database saying "busy, try again" rather than a real failure."""
    if not isinstance(error, OperationalError | DBAPIError):
        return False
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    text = str(orig if orig is not None else error).lower()
    return any(s in text for s in _SQLITE_BUSY)
