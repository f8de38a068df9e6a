"""The owner's numbers with self-pay care (issue 14): a self-pay patient with no coverage seen
twice (one visit at the price list less prompt pay, paid by card; one from a package sold that
month) shows in the payer mix as "Self-pay (cash)" by visits and by money, in revenue and margin
per visit, and in the net collection rate (charges, discounts as adjustments, payments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.services.payments.take import take_payment
from otbill.services.self_pay import charges, settings
from otbill.services.views.figures import Window
from otbill.services.views.owner.collections import net_collection_rate
from otbill.services.views.owner.margin import margin
from otbill.services.views.owner.mix import SELF_PAY, payer_mix
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.selfpaykit import MONDAY, build_cash, cash_patient, seen_cash_visit

MARCH = Window(dt.date(2025, 3, 1), dt.date(2025, 4, 1))


def test_self_pay_visits_and_money_in_mix_margin_and_collections(db: Database) -> None:
    ids = seed_clinic(db)
    patient = cash_patient(db, ids)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        settings.set_prompt_pay(uow, 10, dt.date(2025, 1, 1))
        offer = settings.add_package(uow, "Ten visits", 10, 90000, 180)
    paid_visit = seen_cash_visit(db, ids, patient, MONDAY)
    build_cash(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        charges.prompt_pay(uow, paid_visit, MONDAY)  # $115 less 10%
        take_payment(uow, patient_id=patient, amount="103.50", method="card",
                     reference="AUTH-1", last4="4242", received_on=MONDAY,
                     visit_id=paid_visit)  # fmt: skip
        charges.sell_package(uow, patient, offer, MONDAY)  # $900, not paid yet
    seen_cash_visit(db, ids, patient, MONDAY + dt.timedelta(days=1))
    build_cash(db, ids)

    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert uow.owner_self_pay.visits_without_coverage(MARCH.first, MARCH.end) == 2
        (mix,) = payer_mix(uow, MARCH)
        rows = dict(mix.rows)
        assert rows[SELF_PAY][0] == 2 and rows[SELF_PAY][2] == 103.50  # visits, money
        assert rows["Total"][0] == 2  # the seeded clinic's only visits
        (money,) = margin(uow, MARCH)
        (march,) = money.rows
        assert march[0] == "Mar 2025" and march[1][:2] == [2, 103.50]  # visits, revenue
        assert march[1][4] == 51.75  # revenue per visit
        collected = net_collection_rate(uow, MARCH)
    (row,) = collected.rows
    charged, discounted, by_payers, by_patients, rate = row[1]
    assert (charged, discounted, by_payers, by_patients) == (1015.0, 11.5, 0.0, 103.5)
    assert rate == float(round(Decimal("103.50") / Decimal("1003.50") * 100, 1))
