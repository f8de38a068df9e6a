"""The filing deadline of a date of service (private to the timely-filing family)."""

from __future__ import annotations

import datetime as dt

__all__ = ["filing_deadline"]


def filing_deadline(service: dt.date, days: int) -> dt.date:
    """The last day a claim for ``service`` is on time under a ``days``-day filing limit.

    A 365-day limit is how profiles write "12 months (one calendar year) from the date of
    service" (Medicare, 42 CFR 424.44; Medicaid, 42 CFR 447.45): the deadline is then the same
    day a year later — 28 February for a 29 February service — and never earlier than
    ``service + 365 days`` (a year that spans a 29 February has 366 days).
    """
    deadline = service + dt.timedelta(days=days)
    if days == 365:
        day = 28 if (service.month, service.day) == (2, 29) else service.day
        deadline = max(deadline, service.replace(year=service.year + 1, day=day))
    return deadline
