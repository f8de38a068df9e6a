"""Unbilled work (work in progress) by age bucket and by payer, patient or therapist.

Charges enter the ledger only when a claim is approved, so an A/R read from the ledger alone
shows "$0 owed" while services sit in the queues (issue 14). Unbilled work is counted from the
claims' own charges (claims built but not approved) and, for visits no claim bills yet, from the
fee schedule's charge for the units recorded on the visit (self-pay visits make no claim and are
left out: they are on the patient's account).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from otbill.services.views.dashboard_work import _FeeBook
from otbill.storage import UnitOfWork
from otbill.storage.repositories.owner_reports import Dimension

__all__ = ["Unbilled", "age_limits", "bucket_of", "unbilled"]

#: (key, age bucket) -> [charge cents, claims or visits]
Unbilled = dict[tuple[int | None, int], list[int]]


def age_limits(today: dt.date, days: Sequence[int]) -> list[dt.date]:
    """The oldest date of service of each bucket but the last (``days`` e.g. 30, 60, 90, 120)."""
    return [today - dt.timedelta(days=n) for n in days]


def bucket_of(day: dt.date, limits: Sequence[dt.date]) -> int:
    return next((i for i, limit in enumerate(limits) if day >= limit), len(limits))


_VISIT_KEY = {"payer": 1, "patient": 2, "provider": 3}  # the key's place in a visit line row


def unbilled(
    uow: UnitOfWork,
    by: Dimension,
    limits: Sequence[dt.date],
    visit_lines: Sequence[tuple[Any, ...]] | None = None,
) -> Unbilled:
    """Charge cents and count of unbilled claims and visits, by key and age bucket
    (``visit_lines``: :meth:`unbilled_visit_lines` rows the caller already has)."""
    out: Unbilled = defaultdict(lambda: [0, 0])
    for key, bucket, cents, n in uow.owner_reports.unbilled_claims(by, limits):
        out[(key, int(bucket))][0] += int(cents or 0)
        out[(key, int(bucket))][1] += int(n)
    book = _FeeBook(uow.payers.fee_schedule())
    if visit_lines is None:
        visit_lines = uow.owner_reports.unbilled_visit_lines()
    counted: set[int] = set()
    for row in visit_lines:
        visit, payer_id, day, code, units = row[0], row[1], row[4], row[5], row[6]
        cell = out[(row[_VISIT_KEY[by]], bucket_of(day, limits))]
        cell[0] += book.charge_cents(payer_id, code, day) * int(units or 0)
        if visit not in counted:
            counted.add(visit)
            cell[1] += 1
    return dict(out)
