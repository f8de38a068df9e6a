"""Receivables: days in A/R, and A/R aging by payer, patient and therapist with the unbilled work
(work in progress) and the denied amounts under appeal in columns of their own.

- owed: the ledger's open balances (insurance and patient), by days since the date of service;
- unbilled: claims built but not yet approved (their charges) and visits no claim bills yet (the
  fee schedule's charge), :mod:`.unbilled`;
- under appeal: a denial's write-off is an adjustment in the ledger, but while the appeal is
  pending the payer may still pay it, so it is owed, not written off;
- days in A/R: what is owed (insurance and patients) / the average charges posted per day over
  the last 90 days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from otbill.services.views.choices import payer_names, therapist_choices
from otbill.services.views.figures import Figure
from otbill.services.views.owner.report import Cell, Table
from otbill.services.views.owner.unbilled import age_limits, unbilled
from otbill.storage import UnitOfWork
from otbill.storage.repositories.owner_reports import Dimension

__all__ = ["BUCKETS", "aging", "days_in_ar", "receivables"]

BUCKETS = ("0–30 days", "31–60 days", "61–90 days", "91–120 days", "Over 120 days")
_LIMITS = (30, 60, 90, 120)
_ROW_LIMIT = 200  # the page and PDF show the largest; the CSV has every row
_TITLES = {"payer": "payer", "patient": "patient", "provider": "therapist"}
_KEY = {"payer": 0, "patient": 1, "provider": 2}  # the key's place in a line balance row


def _names(uow: UnitOfWork, by: Dimension, keys: list[int | None]) -> dict[int | None, str]:
    if by == "payer":
        names: dict[int | None, str] = {k: v for k, v in payer_names(uow).items()}
    elif by == "provider":
        names = {k: v for k, v in therapist_choices(uow)}
    else:
        wanted = [k for k in keys if k is not None]
        names = {k: v for k, v in uow.owner_reports.patient_names(wanted).items()}
    return {k: names.get(k, f"{_TITLES[by]} {k}") for k in keys}


def aging(
    uow: UnitOfWork,
    today: dt.date,
    by: Dimension,
    *,
    every_row: bool = False,
    balances: list[tuple[Any, ...]] | None = None,
    visit_lines: list[tuple[Any, ...]] | None = None,
    appeals: list[tuple[Any, ...]] | None = None,
) -> Table:
    """Owed by age bucket, then unbilled, under appeal and the total, one row per key.

    Balances are summed per claim line (one pass over the ledger serves the three agings:
    ``balances`` are :meth:`open_line_balances` rows the caller already has, ``visit_lines``
    its :meth:`unbilled_visit_lines`, ``appeals`` its :meth:`appealed`)."""
    limits = age_limits(today, _LIMITS)
    if balances is None:
        balances = uow.owner_reports.open_line_balances(limits)
    owed: dict[int | None, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 2))
    buckets = [[0, 0, 0, 0, 0] for _ in BUCKETS]  # insurance, patient, unbilled, appealed, n
    for row in balances:
        key, (bucket, payer, patient, n) = row[_KEY[by]], row[3:]
        amount = max(int(payer or 0), 0) + max(int(patient or 0), 0)
        owed[key][int(bucket)] += amount
        buckets[int(bucket)][0] += max(int(payer or 0), 0)
        buckets[int(bucket)][1] += max(int(patient or 0), 0)
        buckets[int(bucket)][4] += int(n)
    for (key, bucket), (cents, n) in unbilled(uow, by, limits, visit_lines).items():
        owed[key][len(BUCKETS)] += cents
        buckets[bucket][2] += cents
        buckets[bucket][4] += n
    if appeals is None:
        appeals = uow.owner_reports.appealed(limits)
    for row in appeals:
        key, (bucket, cents, n) = row[_KEY[by]], row[3:]
        owed[key][len(BUCKETS) + 1] += int(cents or 0)
        buckets[int(bucket)][3] += int(cents or 0)
        buckets[int(bucket)][4] += int(n)
    ranked = sorted(owed, key=lambda k: -sum(owed[k]))
    shown = ranked if every_row else ranked[:_ROW_LIMIT]
    names = _names(uow, by, shown)
    rows: list[tuple[str, list[Cell]]] = [
        (names[k], [*(c / 100 for c in owed[k]), sum(owed[k]) / 100]) for k in shown
    ]
    if rows:
        totals = [sum(owed[k][i] for k in owed) / 100 for i in range(len(BUCKETS) + 2)]
        rows.append(("Total", [*totals, sum(totals)]))
    word = _TITLES[by]
    more = len(ranked) - len(shown)
    chart = None
    if by == "payer" and rows:
        chart = Figure(
            "ar_buckets",
            "Accounts receivable by age, with unbilled work and appeals",
            "Owed by insurance and by patients (ledger), unbilled work and denied amounts under "
            "appeal, by days since the date of service.",
            "$",
            list(BUCKETS),
            [
                ("Insurance", [b[0] / 100 for b in buckets]),
                ("Patients", [b[1] / 100 for b in buckets]),
                ("Unbilled", [b[2] / 100 for b in buckets]),
                ("Under appeal", [b[3] / 100 for b in buckets]),
            ],
        )
    return Table(
        f"aging_by_{word}",
        f"A/R aging by {word}",
        f"What each {word} owes (insurance and patient balances from the ledger) by days since "
        "the date of service, with the unbilled work and the denied amounts under appeal."
        + (
            f" The {_ROW_LIMIT} largest are shown; the CSV has all {len(ranked):,}." if more else ""
        ),
        word.capitalize(),
        [*BUCKETS, "Unbilled", "Under appeal", "Total"],
        ["$"] * (len(BUCKETS) + 3),
        rows,
        chart,
        [b[4] for b in buckets] if chart else [],
        None if rows else "Nothing owed, unbilled or under appeal.",
    )


def days_in_ar(uow: UnitOfWork, today: dt.date, by_payer: Table | None = None) -> Table:
    """What is owed now, against the average charges per day of the last 90 days (the totals
    are read from ``by_payer``, the aging by payer, when the caller has it already)."""
    by_payer = by_payer or aging(uow, today, "payer")
    sums = (
        {name: sum(v or 0 for v in values) for name, values in by_payer.chart.series}
        if by_payer.chart
        else {}
    )
    insurance, patient = round(sums.get("Insurance", 0) * 100), round(sums.get("Patients", 0) * 100)
    work, appealed = round(sums.get("Unbilled", 0) * 100), round(sums.get("Under appeal", 0) * 100)
    charged = uow.owner_reports.charges_posted(
        today - dt.timedelta(days=90), today + dt.timedelta(days=1)
    )
    per_day = charged / 90
    days = round((insurance + patient) / per_day, 1) if per_day else None
    return Table(
        "days_in_ar",
        "Days in A/R",
        "What insurance and patients owe (the ledger) divided by the average charges posted per "
        "day over the last 90 days; unbilled work and appeals are shown beside it, not in it.",
        "As of",
        [
            "Owed by insurance",
            "Owed by patients",
            "Unbilled",
            "Under appeal",
            "Charges posted, last 90 days",
            "Days in A/R",
        ],
        ["$", "$", "$", "$", "$", "n"],
        [
            (
                today.isoformat(),
                [insurance / 100, patient / 100, work / 100, appealed / 100, charged / 100, days],
            )
        ],
        empty=None,
    )


def receivables(uow: UnitOfWork, today: dt.date) -> list[Table]:
    limits = age_limits(today, _LIMITS)
    balances = uow.owner_reports.open_line_balances(limits)
    visits = uow.owner_reports.unbilled_visit_lines()
    appeals = uow.owner_reports.appealed(limits)
    by_payer, by_patient, by_provider = (
        aging(uow, today, by, balances=balances, visit_lines=visits, appeals=appeals)
        for by in ("payer", "patient", "provider")
    )
    return [days_in_ar(uow, today, by_payer), by_payer, by_patient, by_provider]
