"""Payer mix: each payer's share of the visits (served in the window) and of the money received
(payments posted in the window), with self-pay (cash) patients as a payer of their own.

Visits of a self-pay patient count as self-pay whatever coverage is on file, and so do visits
with no coverage at all (:mod:`otbill.storage.repositories.owner_self_pay`); the money is the
payers' payments (the ledger) plus what patients paid at the desk, net of refunds (self-pay
patients' payments under "Self-pay (cash)", insured patients' under "Patients of insured
visits"). An employer contract is a payer record of its own and shows under its name.
"""

from __future__ import annotations

from collections import defaultdict

from otbill.services.views.choices import payer_names
from otbill.services.views.figures import Figure, Window, percent
from otbill.services.views.owner.report import Cell, Table
from otbill.storage import UnitOfWork

__all__ = ["SELF_PAY", "payer_mix"]

SELF_PAY = "Self-pay (cash)"
_INSURED_PATIENTS = "Patients of insured visits"


def payer_mix(uow: UnitOfWork, window: Window) -> list[Table]:
    names = payer_names(uow)
    visits: dict[str, int] = defaultdict(int)
    money: dict[str, int] = defaultdict(int)
    for payer_id, n in uow.owner_reports.visits_by_payer(window.first, window.end):
        visits[SELF_PAY if payer_id is None else names.get(payer_id, f"payer {payer_id}")] += n
    if uncovered := uow.owner_self_pay.visits_without_coverage(window.first, window.end):
        visits[SELF_PAY] += uncovered  # no coverage on file at all: self-pay too
    for payer_id, cents in uow.owner_reports.payer_payments_by_payer(window.first, window.end):
        money[names.get(payer_id, f"payer {payer_id}")] += int(cents or 0)
    for self_pay, _, cents in uow.owner_reports.patient_money(window.first, window.end):
        money[SELF_PAY if self_pay else _INSURED_PATIENTS] += int(cents or 0)
    total_visits, total_money = sum(visits.values()), sum(money.values())
    labels = sorted(set(visits) | set(money), key=lambda k: (-visits.get(k, 0), -money.get(k, 0)))
    rows: list[tuple[str, list[Cell]]] = [
        (
            k,
            [
                visits.get(k, 0),
                percent(visits.get(k, 0), total_visits),
                money.get(k, 0) / 100,
                percent(money.get(k, 0), total_money),
            ],
        )
        for k in labels
    ]
    if rows:
        rows.append(("Total", [total_visits, 100.0, total_money / 100, 100.0]))
    chart = Figure(
        "payer_mix",
        "Payer mix",
        "Each payer's share of the visits and of the money received.",
        "%",
        ["Visits", "Money received"],
        [
            (k, [percent(visits.get(k, 0), total_visits), percent(money.get(k, 0), total_money)])
            for k in labels
        ],
    )
    return [
        Table(
            "payer_mix",
            "Payer mix by visits and by money",
            "Visits served in these months and money received in them, by payer; self-pay "
            "(cash) patients are a payer of their own, employer contracts show under their "
            "payer record's name.",
            "Payer",
            ["Visits", "Share of visits", "Money received", "Share of money"],
            ["n", "%", "$", "%"],
            rows,
            chart if rows else None,
            [total_visits, total_visits] if rows else [],  # the visits behind both shares
            None if rows else "No visits and no money received in these months.",
        )
    ]
