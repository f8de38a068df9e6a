"""Revenue, cost and margin per visit by month.

- revenue: money received that month: the payers' payments (the ledger, by day posted,
  reversals netted) plus what patients paid at the desk, net of refunds;
- cost: the month's overhead entries (rent, salaries… as entered in the overhead table);
- margin: revenue − cost; per visit: each divided by the visits served that month.

Cash basis on purpose: the owner reads it against the bank statement.
"""

from __future__ import annotations

from otbill.services.views.figures import Figure, Window, by_month, month_label, trim_months
from otbill.services.views.owner.report import Cell, Table
from otbill.storage import UnitOfWork

__all__ = ["margin"]


def _per(value: float, visits: float) -> float | None:
    return round(value / 100 / visits, 2) if visits else None


def margin(uow: UnitOfWork, window: Window) -> list[Table]:
    reports = uow.owner_reports
    revenue = by_month(reports.payer_cash_by_day(window.first, window.end))
    for month, cents in by_month(
        (d, c) for _, d, c in reports.patient_money(window.first, window.end)
    ).items():
        revenue[month] += cents
    cost = by_month(reports.overhead_by_month(window.first, window.end))
    visits = by_month(reports.visits_by_day(window.first, window.end))
    months = trim_months(window.months(), revenue, cost, visits)
    labels = [month_label(m) for m in months]
    rows: list[tuple[str, list[Cell]]] = []
    per_visit: list[float | None] = []
    for label, m in zip(labels, months, strict=True):
        r, c, v = revenue.get(m, 0.0), cost.get(m, 0.0), visits.get(m, 0.0)
        per_visit.append(_per(r - c, v) if m in cost else None)
        rows.append(
            (
                label,
                [
                    int(v),
                    r / 100,
                    c / 100 if m in cost else None,
                    (r - c) / 100 if m in cost else None,
                    _per(r, v),
                    _per(c, v) if m in cost else None,
                    per_visit[-1],
                ],
            )
        )
    no_cost = months and not any(m in cost for m in months)
    return [
        Table(
            "margin",
            "Revenue, cost and margin per visit",
            "Money received each month (payers' payments and patients' payments, net of refunds, "
            "self-pay (cash) patients' included), the month's overhead entries, and both per visit "
            "served that month (self-pay visits included). A month with no "
            "overhead entered has no cost or margin (–), not a cost of $0.",
            "Month",
            [
                "Visits",
                "Revenue",
                "Cost (overhead)",
                "Margin",
                "Revenue per visit",
                "Cost per visit",
                "Margin per visit",
            ],
            ["n", "$", "$", "$", "$", "$", "$"],
            rows,
            Figure(
                "margin",
                "Margin per visit",
                "Revenue − overhead, per visit, by month.",
                "$",
                labels,
                [("Margin per visit", per_visit)],
            ),
            [int(visits.get(m, 0)) for m in months],
            None
            if months and not no_cost
            else "No overhead entered: add monthly costs (rent, salaries…) to see the margin."
            if months
            else "No visits, payments or overhead in these months.",
        )
    ]
