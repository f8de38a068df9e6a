"""Dashboard figures from the payers' answers: denial rates, A/R aging, payment per visit.

The balances follow :mod:`otbill.domain.ledger` exactly but are summed in the database per claim
(``uow.reports``), so the clinic's 100,000 claims never travel to Python one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from otbill.services.views.choices import payer_names
from otbill.services.views.dashboard_work import Appealed, VisitLine, billable_visit_lines
from otbill.services.views.figures import (
    Figure,
    Window,
    by_month,
    month_label,
    percent,
    trim_months,
)
from otbill.services.views.owner.unbilled import age_limits, unbilled
from otbill.storage import UnitOfWork

__all__ = ["AGING_BUCKETS", "ar_aging", "denials", "payment_per_visit"]

_TOP_CAUSES = 5
AGING_BUCKETS = (("0–30", 30), ("31–60", 60), ("61–90", 90), ("91–120", 120), ("120+", None))


def denials(uow: UnitOfWork, window: Window) -> tuple[Figure, Figure]:
    """Denial rate by cause (group code + CARC) and by payer, by month of service."""
    rows = uow.reports.decided_claims(window.first, window.end)
    decided = by_month((day, n) for day, _, n, _ in rows)
    months = trim_months(window.months(), decided)
    empty = None if months else "No payments posted yet: denial rates appear once 835s are posted."
    return _by_cause(uow, window, months, decided, empty), _by_payer(uow, months, rows, empty)


def _by_cause(
    uow: UnitOfWork,
    window: Window,
    months: list[dt.date],
    decided: Mapping[dt.date, float],
    empty: str | None,
) -> Figure:
    counts: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for day, group, carc, n in uow.reports.denial_causes(window.first, window.end):
        counts[f"{group}-{carc}" if carc else group][day.replace(day=1)] += n
    ranked = sorted(counts, key=lambda c: -sum(counts[c].values()))
    causes = ranked[:_TOP_CAUSES]
    if len(ranked) > _TOP_CAUSES:
        other: dict[dt.date, float] = defaultdict(float)
        for cause in ranked[_TOP_CAUSES:]:
            for month, n in counts[cause].items():
                other[month] += n
        counts["other codes"] = other
        causes.append("other codes")
    series: list[tuple[str, list[float | None]]] = [
        (cause, [percent(counts[cause].get(m, 0), decided.get(m, 0)) or 0.0 for m in months])
        for cause in causes
    ]
    return Figure(
        "denials_by_cause",
        "Denial rate by cause",
        "Claims denied, by group code and claim adjustment reason code (CARC), as a share of "
        "the claims the payers decided, by month of service.",
        "%",
        [month_label(m) for m in months],
        series,
        [("Claims decided", [f"{int(decided.get(m, 0)):,}" for m in months])],
        empty or (None if series else "No denials: every decided claim was paid."),
    )


def _by_payer(uow: UnitOfWork, months: list[dt.date], rows: list[Any], empty: str | None) -> Figure:
    names = payer_names(uow)
    decided: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    denied: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for day, payer, n, n_denied in rows:
        decided[payer][day.replace(day=1)] += n
        denied[payer][day.replace(day=1)] += n_denied or 0
    series = [
        (names.get(p, f"payer {p}"), [percent(denied[p].get(m, 0), decided[p].get(m, 0)) for m in months])
        for p in sorted(decided, key=lambda p: names.get(p, ""))
    ]  # fmt: skip
    return Figure(
        "denials_by_payer",
        "Denial rate by payer",
        "Claims with a denial, as a share of each payer's decided claims, by month of service.",
        "%",
        [month_label(m) for m in months],
        series,
        empty=empty,
    )


def _bucket(days: int) -> int:
    for i, (_, limit) in enumerate(AGING_BUCKETS):
        if limit is None or days <= limit:
            return i
    return len(AGING_BUCKETS) - 1


def ar_aging(
    uow: UnitOfWork,
    today: dt.date,
    visit_lines: Sequence[VisitLine] | None = None,
    appealed: Appealed | None = None,
) -> Figure:
    """Unpaid balances (insurance and patient) by days since the date of service, the unbilled
    work (claims not yet approved, visits no claim bills yet: their charges are not in the
    ledger yet) and the denied amounts under appeal: the denial's write-off is an adjustment in
    the ledger, but while the appeal is pending the payer may still pay it, so it is shown as
    owed, not written off. Without the unbilled work, a clinic whose claims wait for approval
    read "$0 owed" with thousands of dollars of services in the queues (issue 14).
    The unbilled visits come from the kept set (``unbilled_visit``), not every visit;
    ``visit_lines`` and ``appealed`` are the reads the caller already has."""
    if visit_lines is None:
        visit_lines = uow.reports.unbilled_visit_lines()
    if appealed is None:
        appealed = uow.reports.under_appeal()
    totals = [[0, 0, 0, 0, 0] for _ in AGING_BUCKETS]  # insurance, patient, claims, appeal, WIP
    for day, payer_cents, patient_cents, n in uow.reports.open_balances():
        row = totals[_bucket((today - day).days)]
        row[0] += payer_cents or 0
        row[1] += patient_cents or 0
        row[2] += n
    for day, appealed_cents, n in appealed:
        row = totals[_bucket((today - day).days)]
        row[3] += appealed_cents
        row[2] += n
    limits = age_limits(today, [limit for _, limit in AGING_BUCKETS if limit is not None])
    for (_, bucket), (cents, n) in unbilled(
        uow, "payer", limits, billable_visit_lines(visit_lines)
    ).items():
        totals[bucket][4] += cents
        totals[bucket][2] += n
    empty = None
    if not any(r[2] for r in totals):
        empty = (
            "Nothing outstanding: every posted charge is paid or adjusted, and nothing waits to be "
            "billed."
            if uow.reports.has_charges()
            else "No charges posted and nothing waiting to be billed yet."
        )
    return Figure(
        "ar_aging",
        "Accounts receivable aging",
        "Unpaid balances of claims, by days since the date of service, owed by insurance and "
        "by patients (from the ledger), the unbilled work (claims not yet approved and visits "
        "not yet on a claim, at their charges) and denied amounts under appeal (owed until the "
        "payer decides the appeal).",
        "$",
        [label for label, _ in AGING_BUCKETS],
        [
            ("Insurance", [max(r[0], 0) / 100 for r in totals]),
            ("Patient", [max(r[1], 0) / 100 for r in totals]),
            ("Unbilled", [r[4] / 100 for r in totals]),
            ("Under appeal", [r[3] / 100 for r in totals]),
        ],
        [("Claims and visits", [f"{r[2]:,}" for r in totals])],
        empty,
    )


def payment_per_visit(uow: UnitOfWork, window: Window) -> Figure:
    """Payments received / visits billed, per payer, over claims that received a payment."""
    money = uow.reports.payments_by_payer(window.first, window.end)
    paid_visits = uow.reports.paid_visits_by_payer(window.first, window.end)
    visits: dict[int, int] = defaultdict(int, paid_visits)
    names = payer_names(uow)
    payers = sorted((p for p in money if visits[p]), key=lambda p: names.get(p, ""))
    return Figure(
        "payment_per_visit",
        "Average payment per visit",
        "Payments received from the payer and from patients, divided by the visits billed on "
        "the claims that received a payment, by payer.",
        "$",
        [names.get(p, f"payer {p}") for p in payers],
        [
            ("From the payer", [round(money[p][0] / 100 / visits[p], 2) for p in payers]),
            ("From patients", [round(money[p][1] / 100 / visits[p], 2) for p in payers]),
        ],
        [("Visits", [f"{visits[p]:,}" for p in payers])],
        None if payers else "No payments posted yet.",
    )
