"""One attempt of a job at a time, across worker processes (PostgreSQL's advisory locks).

Why: a worker whose heartbeat is late (a loaded machine) looks stalled to the others, and the
stalled-job sweep puts its job back in the queue while it still runs; a second worker would then
run the same job at the same time. An attempt holds a session lock keyed by the job's id on a
connection of its own for as long as it runs; the lock goes with the connection, so a worker
killed with SIGKILL releases it at once (PostgreSQL ends the dead backend), while a slow one keeps
it. SQLite: nothing to hold (one process runs the jobs, one at a time).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from otbill.storage.uow import Database

__all__ = ["JOB_LOCK_CLASS", "job_running", "running_alone"]

#: The advisory locks' first key (``pg_advisory_lock(int, int)``): otbill's job attempts.
JOB_LOCK_CLASS = 7_306_002
_KEYS = "CAST(:class AS integer), CAST(:job % 2147483647 AS integer)"
# a host that vanishes (not only its process) is noticed within about a minute, not hours
_KEEPALIVE = (
    "SELECT set_config('tcp_keepalives_idle', '30', false),"
    " set_config('tcp_keepalives_interval', '10', false),"
    " set_config('tcp_keepalives_count', '3', false)"
)


@contextmanager
def running_alone(db: Database, job_id: int) -> Iterator[None]:
    """Hold the job's lock while the block runs; another attempt of it waits here first."""
    if db.backend != "postgresql":
        yield
        return
    keys = {"class": JOB_LOCK_CLASS, "job": job_id}
    with db.engine.connect() as conn:
        conn.execute(text(_KEEPALIVE))
        conn.execute(text(f"SELECT pg_advisory_lock({_KEYS})"), keys)
        conn.commit()  # the lock is the session's: no transaction stays open meanwhile
        try:
            yield
        finally:
            conn.execute(text(f"SELECT pg_advisory_unlock({_KEYS})"), keys)
            conn.commit()


def job_running(db: Database, job_id: int) -> bool:
    """Whether an attempt of the job holds its lock now (a live worker runs it)."""
    if db.backend != "postgresql":
        return False
    keys = {"class": JOB_LOCK_CLASS, "job": job_id}
    with db.engine.begin() as conn:  # the transaction's lock, if taken, ends with it
        taken = conn.execute(text(f"SELECT pg_try_advisory_xact_lock({_KEYS})"), keys).scalar()
    return not taken
