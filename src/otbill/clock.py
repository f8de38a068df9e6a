"""One clock for a run: what day it is, and the time of every timestamp otbill writes.

Why one place: a run "as of" a day (the demo runs as of 2025-04-01; ``--today``; ``OTBILL_TODAY``)
must date everything it writes on that day — signatures, status history, the audit trail, the
837's creation date (and so the simulated 835's payment date and the appeal deadlines counted from
it) — or the pages read "746 days left" on a claim denied yesterday. Without an "as of" day the
clock is the machine's.

The day is held in a context variable, so each web request (``web.clock``), each CLI run and each
demo load sets its own without threading it through every call; the time of day stays real so
that events of one day keep their order.

>>> with as_of(dt.date(2025, 4, 1)):
...     today(), utcnow().date(), now().date()
(datetime.date(2025, 4, 1), datetime.date(2025, 4, 1), datetime.date(2025, 4, 1))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["as_of", "current_as_of", "now", "today", "utcnow"]

_AS_OF: ContextVar[dt.date | None] = ContextVar("otbill_as_of", default=None)


def current_as_of() -> dt.date | None:
    """The day this run is fixed to, or None when it follows the machine's clock."""
    return _AS_OF.get()


def today() -> dt.date:
    """The run's day: its "as of" day, else the machine's local date."""
    return _AS_OF.get() or dt.date.today()


def _on_day(moment: dt.datetime) -> dt.datetime:
    day = _AS_OF.get()
    return moment if day is None else dt.datetime.combine(day, moment.time())


def utcnow() -> dt.datetime:
    """Naive UTC with microseconds (what SQLite and PostgreSQL store), on the run's day."""
    return _on_day(dt.datetime.now(dt.UTC).replace(tzinfo=None))


def now() -> dt.datetime:
    """Local time to the second (X12 envelope dates), on the run's day."""
    return _on_day(dt.datetime.now().replace(microsecond=0))


@contextmanager
def as_of(day: dt.date | None) -> Iterator[None]:
    """Run the block as of ``day`` (None: the machine's clock), then restore the previous day."""
    token = _AS_OF.set(day)
    try:
        yield
    finally:
        _AS_OF.reset(token)
