"""Issue 11 item 11: a successful form post ends on a GET (303), so a reload submits nothing again;
what the post did is shown once, on the page the browser is sent to."""

from __future__ import annotations

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from support.demoflow import submit_demo_claims
from support.jobpages import finish_jobs
from support.webkit import log_in, token


def test_fetching_from_the_clearinghouse_redirects_to_its_job_page(app, client, tmp_path):
    """The fetch is a job: its page is a GET, so a reload asks the clearinghouse nothing again."""
    transport = SimulatedClearinghouse(tmp_path / "sim")
    app.state.transport = transport
    submit_demo_claims(app, transport, n=5)
    log_in(client, "biller")
    csrf = token(client, "/remittances")
    fetched = client.post("/remittances/fetch", data={"csrf_token": csrf}, follow_redirects=False)
    assert fetched.status_code == 303
    assert fetched.headers["location"].startswith("/remittances/fetch/jobs/")
    finish_jobs(app)
    shown = client.get(fetched.headers["location"]).text
    assert 'data-testid="job-summary"' in shown and "applied" in shown
    assert client.get(fetched.headers["location"]).text.count('data-testid="file-') == (
        shown.count('data-testid="file-')
    )


def test_checking_the_audit_chain_redirects_and_shows_the_result_once(client):
    log_in(client, "approver")
    csrf = token(client, "/audit")
    checked = client.post("/audit/verify", data={"csrf_token": csrf}, follow_redirects=False)
    assert checked.status_code == 303 and checked.headers["location"].startswith("/audit")
    assert "The audit chain is intact" in client.get("/audit").text
    assert "The audit chain is intact" not in client.get("/audit").text
