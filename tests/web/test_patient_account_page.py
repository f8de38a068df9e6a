"""The patient page's Account: a balance brought over from the old system, with its source, beside
the patient's share left on their claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.services.patient_account import post_opening_balance
from support.webkit import log_in, patient_of


def test_the_patient_page_shows_the_balance_brought_over_and_the_total(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        post_opening_balance(uow, patient_id=patient, amount=Decimal("120.50"),
                             on=dt.date(2024, 12, 31), source="opening balance from OldPM: row 3",
                             source_key="test:opening:1")  # fmt: skip
    log_in(client, "biller")
    page = client.get(f"/patients/{patient}").text
    account = page.split('id="account"')[1].split("</section>")[0]
    assert "Balance brought over — opening balance from OldPM: row 3" in account
    assert "$120.50" in account and "The patient owes" in account
    assert "Patient's share left on claims billed in otbill" in account
