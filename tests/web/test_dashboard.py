"""The dashboard and the audit trail: charts from the demo clinic, honest empty states, the chain."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from otbill.services.ledger import balances
from otbill.services.remittances.post import post_remittance
from otbill.services.views.dashboard_payments import ar_aging
from otbill.services.views.figures import Window
from otbill.storage.tables import AuditEventRow
from support.demoflow import make_835, send_claims, user_id
from support.webkit import DEMO_TODAY, log_in, token


def test_dashboard_shows_charts_with_tables_and_honest_empty_states(client):
    log_in(client, "approver")  # auditor role
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert page.text.count('<svg class="chart" role="img"') >= 3  # clean claims, mix, cost
    for title in ("Clean-claim rate", "Payer mix", "Cost per visit", "Accounts receivable aging"):
        assert title in page.text
    assert "Medicare Part B (Novitas JH)" in page.text and "<table>" in page.text
    # the demo has no remittances: no invented numbers, a sentence instead
    assert "No payments posted yet" in page.text
    assert "No charges posted" not in page.text  # the claims waiting are unbilled, not $0 owed
    assert re.search(r"Jan 2025</th><td class=\"num\">\d+\.\d%", page.text)


def test_dashboard_after_charges_and_an_835(app, client):
    sent = send_claims(app, 4)
    data = make_835([(sent[0], True), (sent[1], True), (sent[2], False)])
    report = post_remittance(app.state.db, 1, user_id(app, "biller"), data, today=DEMO_TODAY)
    assert (report.paid, report.denied) == (2, 1), report.outcomes
    log_in(client, "admin")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "No payments posted yet" not in page.text and "No charges posted yet" not in page.text
    assert "CO-197" in page.text  # the denial's cause
    assert page.text.count('<svg class="chart" role="img"') == 8  # with unbilled work


def test_ar_aging_agrees_with_the_ledger(app):
    sent = send_claims(app, 3)
    post_remittance(
        app.state.db, 1, user_id(app, "biller"), make_835([(sent[0], True)]), today=DEMO_TODAY
    )
    with app.state.db.unit_of_work(1) as uow:
        figure = ar_aging(uow, DEMO_TODAY)
        ledger = balances(uow)
    owed = sum((b.balance for b in ledger.by_claim.values() if b.balance > 0), Decimal(0))
    ledger_series = [v for name, v in figure.series if name in ("Insurance", "Patient")]
    shown = sum(v or 0 for values in ledger_series for v in values)  # unbilled: not in the ledger
    assert figure.empty is None
    assert Decimal(str(round(shown, 2))) == owed
    assert Window.ending(DEMO_TODAY, 3).months()[0].isoformat() == "2025-02-01"


def test_dashboard_refuses_billers_and_therapists(client):
    log_in(client, "biller")
    assert client.get("/dashboard").status_code == 403
    log_in(client, "rcole")
    assert client.get("/audit").status_code == 403


def test_audit_trail_pages_and_filters(app, client):
    log_in(client, "approver")
    page = client.get("/audit")
    assert page.status_code == 200 and "Verify chain" in page.text
    assert "Older entries" in page.text
    older = re.search(r'href="/audit\?before=(\d+)"', page.text)
    assert older, "no link to the next page"
    second = client.get(f"/audit?before={older.group(1)}")
    assert second.status_code == 200 and "Newest" in second.text
    biller = user_id(app, "biller")
    only = client.get(f"/audit?entity=claim&user={biller}")
    assert "claim.create" in only.text and "note.create" not in only.text


def test_verify_chain_reports_intact_then_tampering(app, client):
    log_in(client, "approver")
    csrf = token(client, "/audit")
    intact = client.post("/audit/verify", data={"csrf_token": csrf})
    assert intact.status_code == 200 and "The audit chain is intact" in intact.text
    with app.state.db.session() as session, session.begin():
        row = session.scalars(select(AuditEventRow).where(AuditEventRow.seq == 5)).one()
        row.action = "edited.by.hand"
    broken = client.post("/audit/verify", data={"csrf_token": csrf}, headers={"HX-Request": "1"})
    assert "The audit chain is broken" in broken.text and "seq 5" in broken.text
    assert "<html" not in broken.text  # HTMX gets the fragment only
    assert client.post("/audit/verify").status_code == 403  # no CSRF token
