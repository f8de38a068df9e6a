"""Issue 11 item 11: a successful form post ends on a GET (303), so a reload submits nothing again;
what the post did is shown once, on the page the browser is sent to."""

from __future__ import annotations

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from support.demoflow import submit_demo_claims
from support.webkit import log_in, token


def test_fetching_from_the_clearinghouse_redirects_and_shows_the_report_once(app, client, tmp_path):
    transport = SimulatedClearinghouse(tmp_path / "sim")
    app.state.transport = transport
    submit_demo_claims(app, transport, n=5)
    log_in(client, "biller")
    csrf = token(client, "/remittances")
    fetched = client.post("/remittances/fetch", data={"csrf_token": csrf}, follow_redirects=False)
    assert fetched.status_code == 303 and fetched.headers["location"] == "/remittances"
    shown = client.get("/remittances").text
    assert 'data-testid="receive-report"' in shown and "applied" in shown
    assert 'data-testid="receive-report"' not in client.get("/remittances").text


def test_checking_the_audit_chain_redirects_and_shows_the_result_once(client):
    log_in(client, "approver")
    csrf = token(client, "/audit")
    checked = client.post("/audit/verify", data={"csrf_token": csrf}, follow_redirects=False)
    assert checked.status_code == 303 and checked.headers["location"].startswith("/audit")
    assert "The audit chain is intact" in client.get("/audit").text
    assert "The audit chain is intact" not in client.get("/audit").text
