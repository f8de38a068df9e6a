"""The login throttle's counts shared by every web process on one host (``otbill serve --workers``).

Why not in memory: with several processes each would count failed logins apart, so an attacker
whose requests are spread over N processes gets N times the guesses. Why not in the database: the
counts are hot, short-lived and not records of the clinic (nothing to audit, nothing to back up),
and a table would need a migration. So they live in a small SQLite file in the data directory
(``login-throttle.sqlite3``), which every process on the host opens; each change is one short
``BEGIN IMMEDIATE`` transaction, and the wall clock (not a per-process monotonic clock) dates them.

Limit, said plainly (docs/deploy.md): processes on *different hosts* do not share the file; run
the web processes of one clinic on one host, or accept that each host counts apart.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from otbill.web.security import LoginThrottle, _Failures

__all__ = ["THROTTLE_FILE", "SharedLoginThrottle"]

THROTTLE_FILE = "login-throttle.sqlite3"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS failed_login ("
    " key TEXT PRIMARY KEY, count INTEGER NOT NULL, last REAL NOT NULL)"
)


@dataclass
class SharedLoginThrottle(LoginThrottle):
    """:class:`LoginThrottle`'s rules, with the counts kept in ``path`` for every process."""

    path: Path = Path(THROTTLE_FILE)
    clock: Callable[[], float] = time.time  # shared between processes: the wall clock

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as conn:
            conn.execute(_SCHEMA)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # a connection per use: opening a local SQLite file costs microseconds next to a login's
        # password hash, and nothing is left open between requests (or threads)
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _read(self, conn: sqlite3.Connection, key: str, now: float) -> _Failures | None:
        row = conn.execute("SELECT count, last FROM failed_login WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        failures = _Failures(int(row[0]), float(row[1]))
        if now - failures.last > self.window + self._delay(key, failures):
            conn.execute("DELETE FROM failed_login WHERE key = ?", (key,))
            return None
        return failures

    def wait(self, keys: Iterable[str]) -> int:
        now = self.clock()
        longest = 0.0
        with self._transaction() as conn:
            for key in keys:
                failures = self._read(conn, key, now)
                if failures is not None:
                    longest = max(longest, failures.last + self._delay(key, failures) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._transaction() as conn:
            for key in keys:
                failures = self._read(conn, key, now)
                count = 1 if failures is None else failures.count + 1
                conn.execute(
                    "INSERT INTO failed_login (key, count, last) VALUES (?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET count = excluded.count, last = excluded.last",
                    (key, count, now),
                )

    def succeeded(self, keys: Iterable[str]) -> None:
        """Clear the users' counts (never an address's)."""
        with self._transaction() as conn:
            for key in keys:
                if not key.startswith("ip:"):
                    conn.execute("DELETE FROM failed_login WHERE key = ?", (key,))
