"""What the work-queue pages keep between requests: claim counts and held findings by rule.

Why a cache, and why it is safe: counting a queue is one indexed GROUP BY, but grouping held claims
by the rule of their findings reads every held claim's findings. Both change only when a claim
changes, and every change to a claim writes an audit row, which moves the clinic's audit head: an
entry is kept with the head's sequence number (and, for the groups, the held count, which also
catches rows written without an audit) and used only while that stamp is unchanged.

One cache belongs to one web app (one database), made by the app factory; never process-wide.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["QueueCache"]

T = TypeVar("T")


@dataclass
class QueueCache:
    """Values by key, each kept with the stamp it was computed at; at most ``size`` keys."""

    size: int = 256
    _entries: dict[Hashable, tuple[Hashable, object]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: Hashable, stamp: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for ``key`` at ``stamp``, else ``compute()`` (kept for next time)."""
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if key not in self._entries and len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (stamp, value)
        return value
