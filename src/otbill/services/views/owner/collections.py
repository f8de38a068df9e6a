"""Collections: the net collection rate by month of service, and payment speed by payer.

- net collection rate: payments (from payers and patients) / (charges − contractual adjustments,
  group code CO), of the claims served that month, reversals netted; self-pay care (no claim)
  adds its charges, its discounts as adjustments and its patients' payments;
- payment speed: days from the date of service to the payer's first payment on the claim, the
  median and the 90th percentile (nearest rank) by payer; counted in the database as a histogram
  of days per payer, so the percentiles never need one row per claim.
"""

from __future__ import annotations

import datetime as dt

from otbill.services.views.choices import payer_names
from otbill.services.views.figures import Figure, Window, by_month, month_label, percent
from otbill.services.views.owner.report import Cell, Table, percentile
from otbill.storage import UnitOfWork

__all__ = ["collections", "net_collection_rate", "payment_speed"]

Month = dict[dt.date, float]


def _add_self_pay(
    uow: UnitOfWork, window: Window, charges: Month, discounts: Month, paid: Month
) -> None:
    """Self-pay care has no claim: its charges (visits by date of service, packages sold) go
    with the charges, its discounts (sliding scale, prompt pay) with the contractual
    adjustments, and what self-pay patients paid (by day received) with the patients' payments."""
    reads = uow.owner_self_pay
    for day, charged, discounted in reads.charges_by_day(window.first, window.end):
        charges[day.replace(day=1)] += float(charged or 0)
        discounts[day.replace(day=1)] += float(discounted or 0)
    for day, cents in reads.payments_by_day(window.first, window.end):
        paid[day.replace(day=1)] += float(cents or 0)


def net_collection_rate(uow: UnitOfWork, window: Window) -> Table:
    raw = uow.owner_reports.collections(window.first, window.end)
    charges = by_month((d, c) for d, c, _, _, _ in raw)
    contractual = by_month((d, c) for d, _, c, _, _ in raw)
    payer = by_month((d, c) for d, _, _, c, _ in raw)
    patient = by_month((d, c) for d, _, _, _, c in raw)
    _add_self_pay(uow, window, charges, contractual, patient)
    months = [m for m in window.months() if charges.get(m)]
    labels = [month_label(m) for m in months]
    rates = [
        percent(payer.get(m, 0) + patient.get(m, 0), charges[m] - contractual.get(m, 0))
        for m in months
    ]
    rows: list[tuple[str, list[Cell]]] = [
        (
            label,
            [
                charges[m] / 100,
                contractual.get(m, 0) / 100,
                payer.get(m, 0) / 100,
                patient.get(m, 0) / 100,
                rates[i],
            ],
        )
        for i, (label, m) in enumerate(zip(labels, months, strict=True))
    ]
    return Table(
        "net_collection",
        "Net collection rate",
        "Payments from payers and patients / (charges − contractual adjustments, group CO), of "
        "the claims served each month (reversals netted); self-pay (cash) care counts too: its "
        "charges, its discounts with the adjustments, and self-pay patients' payments.",
        "Month of service",
        [
            "Charges",
            "Contractual adjustments",
            "Paid by payers",
            "Paid by patients",
            "Net collection rate",
        ],
        ["$", "$", "$", "$", "%"],
        rows,
        Figure(
            "net_collection",
            "Net collection rate",
            "By month of service.",
            "%",
            labels,
            [("Net collection rate", rates)],
        ),
        [],  # a rate of money, not of a count of records: no sample size to mark
        None if months else "No charges posted for claims served in these months.",
    )


def payment_speed(uow: UnitOfWork, window: Window) -> Table:
    histograms: dict[int, list[tuple[int, int]]] = {}
    for payer_id, days, n in uow.owner_reports.payment_days(window.first, window.end):
        histograms.setdefault(payer_id, []).append((int(days), int(n)))
    names = payer_names(uow)
    payers = sorted(histograms, key=lambda p: names.get(p, ""))
    labels = [names.get(p, f"payer {p}") for p in payers]
    median = [percentile(histograms[p], 0.5) for p in payers]
    p90 = [percentile(histograms[p], 0.9) for p in payers]
    counts = [sum(n for _, n in histograms[p]) for p in payers]
    rows: list[tuple[str, list[Cell]]] = [
        (label, [counts[i], median[i], p90[i]]) for i, label in enumerate(labels)
    ]
    return Table(
        "payment_speed",
        "Payment speed",
        "Days from the date of service to the payer's first payment on the claim, by payer: "
        "the median and the 90th percentile (nine claims in ten were paid by then).",
        "Payer",
        ["Claims paid", "Median days", "90th percentile days"],
        ["n", "d", "d"],
        rows,
        Figure(
            "payment_speed",
            "Payment speed",
            "Days from the visit to the payer's payment.",
            "n",
            labels,
            [
                ("Median days", [float(v) if v is not None else None for v in median]),
                ("90th percentile days", [float(v) if v is not None else None for v in p90]),
            ],
        ),
        counts,
        None if payers else "No payer payments posted for claims served in these months.",
    )


def collections(uow: UnitOfWork, window: Window) -> list[Table]:
    return [net_collection_rate(uow, window), payment_speed(uow, window)]
