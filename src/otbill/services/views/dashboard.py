"""The owner's dashboard figures: clean-claim rate, denials, payer mix, cost per visit (and A/R).

Every figure is aggregated in the database (``uow.reports``: GROUP BY day or payer, never one row
per claim to Python) over one clinic and a window of months by date of service, so the figures stay
quick with 100,000 claims. Days are folded into months here.
A figure with nothing to show says why in ``empty`` (no payments posted yet) instead of zeros.

Definitions (shown on the page with each figure):

- clean-claim rate: claims whose first scrub found no error (draft → ready), of all claims scrubbed;
- denial rate: claims with a denial, of claims the payer has decided (a remittance posted to them);
- payer mix: share of claims and of billed charges per payer (voids excluded);
- cost per visit: the month's overhead (the clinic's overhead table) / visits that month;
- unbilled work and appeals: visits and claims not yet billed, and denied amounts under appeal
  (:mod:`.dashboard_work`).
"""

from __future__ import annotations

import datetime as dt

from otbill.services.views.choices import payer_names
from otbill.services.views.dashboard_payments import ar_aging, denials, payment_per_visit
from otbill.services.views.dashboard_work import work_in_progress
from otbill.services.views.figures import (
    Figure,
    Window,
    by_month,
    month_label,
    percent,
    trim_months,
)
from otbill.services.views.queue_cache import QueueCache
from otbill.storage import UnitOfWork

__all__ = ["cached_dashboard", "clean_claim_rate", "cost_per_visit", "dashboard", "payer_mix"]


def clean_claim_rate(uow: UnitOfWork, window: Window) -> Figure:
    rows = uow.reports.first_scrubs(window.first, window.end)
    total = by_month((day, n) for day, _, n in rows)
    clean = by_month((day, n) for day, status, n in rows if status == "ready")
    months = trim_months(window.months(), total)
    return Figure(
        "clean_claims",
        "Clean-claim rate",
        "Share of claims that passed the scrubber the first time (no error on the first scrub), "
        "by month of service.",
        "%",
        [month_label(m) for m in months],
        [("Clean-claim rate", [percent(clean.get(m, 0), total.get(m, 0)) for m in months])],
        [
            ("Claims", [f"{int(total.get(m, 0)):,}" for m in months]),
            ("Clean first time", [f"{int(clean.get(m, 0)):,}" for m in months]),
        ],
        None if months else "No claims have been built and scrubbed yet.",
    )


def payer_mix(uow: UnitOfWork, window: Window) -> Figure:
    rows = uow.reports.claims_by_payer(window.first, window.end)
    names = payer_names(uow)
    claims = sum(n for _, n, _ in rows)
    charges = sum(c or 0 for _, _, c in rows)
    series = [
        (names.get(p, f"payer {p}"), [percent(n, claims), percent(c or 0, charges)])
        for p, n, c in sorted(rows, key=lambda r: -r[1])
    ]
    return Figure(
        "payer_mix",
        "Payer mix",
        "Each payer's share of the claims and of the billed charges (void claims excluded).",
        "%",
        ["Claims", "Charges"],
        series,
        [("Total", [f"{claims:,}", f"${charges / 100:,.2f}"])],
        None if rows else "No claims yet.",
    )


def cost_per_visit(uow: UnitOfWork, window: Window) -> Figure:
    overhead = by_month(uow.reports.overhead(window.first, window.end))
    visits = by_month(uow.reports.visits_per_day(window.first, window.end))
    months = trim_months(window.months(), overhead)
    values = [
        round(overhead[m] / 100 / visits[m], 2) if visits.get(m) and m in overhead else None
        for m in months
    ]
    return Figure(
        "cost_per_visit",
        "Cost per visit",
        "The month's overhead (rent, salaries… as entered in the overhead table) divided by the "
        "visits that month.",
        "$",
        [month_label(m) for m in months],
        [("Cost per visit", values)],
        [
            ("Overhead", [f"${overhead.get(m, 0) / 100:,.2f}" for m in months]),
            ("Visits", [f"{int(visits.get(m, 0)):,}" for m in months]),
        ],
        None if months else "No overhead entered: add monthly costs to see the cost per visit.",
    )


def dashboard(uow: UnitOfWork, today: dt.date, months: int = 12) -> list[Figure]:
    """Every figure of the dashboard, for the ``months`` up to ``today``'s month."""
    window = Window.ending(today, months)
    by_cause, by_payer = denials(uow, window)
    lines = uow.reports.unbilled_visit_lines()  # one read each for the A/R and the work figure
    appealed = uow.reports.under_appeal()
    return [
        clean_claim_rate(uow, window),
        by_cause,
        by_payer,
        ar_aging(uow, today, lines, appealed),
        work_in_progress(uow, lines, appealed),
        payer_mix(uow, window),
        payment_per_visit(uow, window),
        cost_per_visit(uow, window),
    ]


def cached_dashboard(
    uow: UnitOfWork, today: dt.date, cache: QueueCache, months: int = 12
) -> list[Figure]:
    """:func:`dashboard`, kept in the app's ``cache`` per clinic and day until the clinic's audit
    head moves. Safe as the queue counts are: every write the figures read (claims and their
    statuses, postings, denials and appeals, visits and notes, fees, payers, overhead) writes an
    audit row, which moves the head. The head is read first: a change committed while the
    figures are read moves it again, so the next view computes them anew."""
    head = uow.audit_reads.head_seq()
    key = ("dashboard", uow.clinic_id, today, months)
    return cache.get(key, head, lambda: dashboard(uow, today, months))
