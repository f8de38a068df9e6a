"""The work queues: counts, filters, held findings by rule, pagination, batch submission."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.clearinghouse import MemoryTransport
from otbill.clearinghouse.transport import EdiFile
from otbill.services.claims import lifecycle as claims
from otbill.services.clinic.setup import add_payer
from otbill.storage.tables import ClaimLineRow, ClaimRow, PayerRow, ProviderRow
from otbill.web.submit_jobs import submit_jobs
from support.demoflow import clinic_and_users
from support.webkit import DEMO_TODAY, log_in, token


def _claims(app) -> list[ClaimRow]:
    with app.state.db.session() as session:
        return list(session.scalars(select(ClaimRow)))


def _tab_counts(html: str) -> dict[str, int]:
    return {
        name: int(n)
        for name, n in re.findall(r'data-testid="tab-([a-z]+)" data-count="(\d+)"', html)
    }


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="claim-([^"]+)"', html)


def _approve_one(app) -> ClaimRow:
    ready = next(c for c in _claims(app) if c.status == "ready")
    clinic, users = clinic_and_users(app)
    with app.state.db.unit_of_work(clinic, users["approver"]) as uow:
        claims.approve(uow, ready.id, DEMO_TODAY)
    return ready


class _Gate:
    """A clearinghouse that takes files only once the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.into = MemoryTransport()

    def send(self, files: Sequence[EdiFile]) -> None:
        assert self.open.wait(30), "the test never opened the gate"
        self.into.send(files)


def test_queue_counts_match_the_database(app, client):
    log_in(client, "biller")
    page = client.get("/queues")
    assert page.status_code == 200
    by_status = Counter(c.status for c in _claims(app))
    counts = _tab_counts(page.text)
    assert counts["held"] == by_status["held"] > 0
    assert counts["ready"] == by_status["ready"] > 0
    assert counts["approved"] == by_status["approved"]
    assert counts["submitted"] == by_status["submitted"] + by_status["accepted"]
    assert {"rejected", "denied"} <= counts.keys()


def test_held_findings_are_grouped_by_rule_with_links(app, client):
    log_in(client, "biller")
    page = client.get("/queues/held").text
    expected: Counter[str] = Counter()
    for claim in _claims(app):
        if claim.status == "held":
            expected.update({f["rule"] for f in claim.findings if f["severity"] == "error"})
    shown = {code: int(n) for code, n in re.findall(r'data-testid="rule-count-(\w+)">(\d+)', page)}
    assert shown == dict(expected)
    for code in expected:
        assert f'href="/rules/{code}"' in page


def test_rule_filter_lists_only_claims_held_for_that_rule(app, client):
    log_in(client, "biller")
    page = client.get("/queues/held?rule=MOD001").text
    wanted = {
        c.number
        for c in _claims(app)
        if c.status == "held" and any(f["rule"] == "MOD001" for f in c.findings)
    }
    assert wanted and set(_rows(page)) == wanted
    assert f"{len(wanted)} entries match the filters" in page


def test_payer_therapist_and_date_filters(app, client):
    log_in(client, "biller")
    claims = [c for c in _claims(app) if c.status == "ready"]
    with app.state.db.session() as session:
        payer = session.scalars(select(PayerRow).order_by(PayerRow.id)).first()
        provider = session.scalars(
            select(ProviderRow).where(ProviderRow.credential == "COTA")
        ).one()
        cota_claims = set(
            session.scalars(
                select(ClaimLineRow.claim_id).where(
                    ClaimLineRow.rendering_provider_id == provider.id
                )
            )
        )
    by_payer = [c for c in claims if c.payer_id == payer.id]
    page = client.get(f"/queues/ready?payer={payer.id}").text
    assert f"{len(by_payer)} entries match the filters" in page
    assert set(_rows(page)) <= {c.number for c in by_payer}

    by_cota = [c for c in claims if c.id in cota_claims]
    page = client.get(f"/queues/ready?therapist={provider.id}").text
    assert f"{len(by_cota)} entries match the filters" in page
    assert set(_rows(page)) <= {c.number for c in by_cota}

    day = min(c.date_of_service for c in claims if c.date_of_service.month == 2)
    on_day = [c for c in claims if c.date_of_service == day]
    page = client.get(f"/queues/ready?date_from={day}&date_to={day}").text
    assert f"{len(on_day)} entries match the filters" in page
    assert set(_rows(page)) == {c.number for c in on_day[:50]}


def test_pages_of_fifty_in_date_order(app, client):
    log_in(client, "biller")
    ready = sorted(
        (c for c in _claims(app) if c.status == "ready"), key=lambda c: (c.date_of_service, c.id)
    )
    first, second = client.get("/queues/ready").text, client.get("/queues/ready?page=2").text
    assert _rows(first) == [c.number for c in ready[:50]]
    assert _rows(second) == [c.number for c in ready[50:100]]
    assert 'rel="next"' in first and "page=2" in first


def test_approver_lands_on_claims_awaiting_approval(client):
    log_in(client, "approver")
    assert (
        client.get("/", follow_redirects=False).headers["location"] == "/queues/awaiting-approval"
    )
    page = client.get("/queues/awaiting-approval")
    assert page.status_code == 200 and "Claims awaiting approval" in page.text
    assert 'class="active" data-testid="tab-ready"' in page.text


def test_therapist_cannot_open_the_queues(client):
    log_in(client, "rcole")
    assert client.get("/queues").status_code == 403
    assert client.get("/queues/awaiting-approval").status_code == 403


def test_unknown_queue_is_404(client):
    log_in(client, "biller")
    assert client.get("/queues/nonsense").status_code == 404


def test_batch_submission_sends_approved_claims(app, client):
    ready = next(c for c in _claims(app) if c.status == "ready")
    with TestClient(app) as approver:
        log_in(approver, "approver")
        done = approver.post(
            f"/claims/{ready.id}/approve",
            data={"csrf_token": token(approver, "/queues")},
            follow_redirects=False,
        )
        assert done.status_code == 303
        refused = approver.post("/queues/submit", data={"csrf_token": token(approver, "/queues")})
        assert refused.status_code == 403
    app.state.transport = MemoryTransport()
    log_in(client, "biller")
    assert client.post("/queues/submit").status_code == 403  # no CSRF token
    page = client.get("/queues/approved").text
    assert 'data-testid="submit-batch"' in page
    response = client.post("/queues/submit", data={"csrf_token": token(client)},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303  # at once: the sending is the job's work
    job_page = response.headers["location"]
    assert job_page.startswith("/queues/submit/jobs/")
    submit_jobs(app.state).wait(60)
    done = client.get(job_page)
    assert done.status_code == 200
    assert "1 claim(s) sent in 1 file(s)" in done.text and 'hx-get="' not in done.text
    assert {c.id: c.status for c in _claims(app)}[ready.id] == "submitted"
    assert len(app.state.transport.sent) == 1
    jobs_page = client.get("/jobs").text  # the jobs page links the submission's own page
    assert f'href="{job_page}"' in jobs_page


def test_submit_answers_at_once_and_a_second_press_shows_the_same_job(app, client):
    """The button queues the job and redirects before anything is sent; pressed again while it
    runs, it shows the same job; pressed after it finished, a new one."""
    ready = _approve_one(app)
    gate = _Gate()
    app.state.transport = gate
    log_in(client, "biller")
    csrf = token(client)
    first = client.post("/queues/submit", data={"csrf_token": csrf}, follow_redirects=False)
    assert first.status_code == 303 and gate.into.sent == []  # answered before any file went
    again = client.post("/queues/submit", data={"csrf_token": csrf}, follow_redirects=False)
    assert again.headers["location"] == first.headers["location"]
    running = client.get(first.headers["location"]).text
    assert "Submitting to the clearinghouse" in running and 'hx-get="' in running
    gate.open.set()
    submit_jobs(app.state).wait(60)
    done = client.get(first.headers["location"]).text
    assert "1 claim(s) sent in 1 file(s)." in done and ready.number in "".join(
        f.data.decode() for f in gate.into.sent
    )
    _approve_one(app)  # finished: the next press is a new submission
    later = client.post("/queues/submit", data={"csrf_token": csrf}, follow_redirects=False)
    assert later.headers["location"] != first.headers["location"]
    submit_jobs(app.state).wait(60)
    assert len(gate.into.sent) == 2
    nothing = client.post("/queues/submit", data={"csrf_token": csrf})  # nothing left to send
    assert "Nothing to send: no claim is approved" in nothing.text
    assert 'data-testid="submit-batch" disabled' in nothing.text
    assert client.get("/queues/submit/jobs/999999").status_code == 404
    assert client.get("/queues/submit/jobs/nope").status_code == 404


def test_a_refused_claim_is_named_with_why_on_the_job_page(app, client):
    ready = _approve_one(app)
    with app.state.db.session() as session, session.begin():  # a code no payer pays
        line = session.scalars(
            select(ClaimLineRow).where(ClaimLineRow.claim_id == ready.id)
        ).first()
        line.code = "00000"
    app.state.transport = MemoryTransport()
    log_in(client, "biller")
    done = client.post("/queues/submit", data={"csrf_token": token(client)})
    submit_jobs(app.state).wait(60)
    page = client.get(str(done.url)).text
    assert "0 claim(s) sent in 0 file(s). 1 refused and left approved." in page
    refused = page.split(f'data-testid="refused-{ready.number}"')[1].split("</tr>")[0]
    assert "00000" in refused  # why, in words


def test_the_filter_choices_kept_between_pages_follow_a_payer_added(app, client):
    """The payers and therapists of the filters are kept until the clinic's audit head moves:
    a payer added (an audited change) after a first page is offered on the next."""
    log_in(client, "biller")
    assert "Ridge Mutual" not in client.get("/queues/held").text
    with app.state.db.unit_of_work(1) as uow:
        add_payer(uow, payer_code="77001", name="Ridge Mutual", profile="medicare")
    assert "Ridge Mutual" in client.get("/queues/held").text
