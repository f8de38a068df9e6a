"""Remittances: upload and post an 835, post twice, a malformed file, fetch from the simulator."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.visits import record as visits
from otbill.storage.tables import ProviderRow, RemittanceRow
from otbill.web.posting_jobs import posting_jobs
from support.demoflow import clinic_and_users as _ids
from support.demoflow import simulated_835, statuses, submit_demo_claims
from support.jobpages import job_page_after
from support.webkit import DEMO_TODAY, log_in, token


def _upload(client: TestClient, name: str, data: bytes, csrf: str | None = "page"):
    """Upload; a file that may post is posted in a worker thread: wait for it, show its page."""
    fields = {} if csrf is None else {"csrf_token": token(client, "/remittances")}
    sent = client.post(
        "/remittances/upload", data=fields, files={"file": (name, data)}, follow_redirects=False
    )
    if sent.status_code != 303:
        return sent
    assert sent.headers["location"].startswith("/remittances/jobs/")
    posting_jobs(client.app.state).wait(60)
    return client.get(sent.headers["location"])


def test_upload_posts_the_835_and_the_page_shows_it(app, client, tmp_path):
    name, data = simulated_835(app, tmp_path)
    log_in(client, "biller")
    page = _upload(client, name, data)
    assert page.status_code == 200, page.text
    assert 'data-testid="posting-report"' in page.text
    now = statuses(app)
    paid = [n for n, s in now.items() if s == "paid"]
    hit = [n for n, s in now.items() if s in ("partially_paid", "denied")]
    assert paid and hit
    matched = int(re.search(r'data-testid="count-matched">(\d+)', page.text)[1])
    assert matched == len(paid) + len(hit)
    assert int(re.search(r'data-testid="count-paid">(\d+)', page.text)[1]) == len(paid)
    with app.state.db.session() as session:
        (remit,) = session.scalars(select(RemittanceRow))
    assert f'data-testid="remittance-{remit.id}"' in client.get("/remittances").text
    detail = client.get(f"/remittances/{remit.id}").text
    assert f'data-testid="matched-{paid[0]}"' in detail
    assert f'data-testid="denied-{hit[0]}"' in detail
    assert "not medically necessary" in detail and "N115" in detail  # CO-50 with its RARC


def test_posting_twice_says_already_posted(app, client, tmp_path):
    name, data = simulated_835(app, tmp_path)
    log_in(client, "biller")
    assert _upload(client, name, data).status_code == 200
    before = statuses(app)
    again = _upload(client, "again.835", data)
    assert again.status_code == 200 and 'data-testid="already-posted"' in again.text
    assert statuses(app) == before


def test_malformed_upload_names_the_segment(app, client, tmp_path):
    name, data = simulated_835(app, tmp_path)
    broken = re.sub(rb"SE\*(\d+)\*", b"SE*999*", data)  # a wrong segment count
    log_in(client, "biller")
    page = _upload(client, name, broken)
    assert page.status_code == 422
    error = re.search(r'data-testid="upload-error">(.*?)</p>', page.text, re.S)[1]
    assert "SE" in error and "nothing posted" in error
    assert all(s != "paid" for s in statuses(app).values())
    garbage = _upload(client, "x.835", b"hello, not X12")
    assert garbage.status_code == 422 and 'data-testid="upload-error"' in garbage.text


def test_fetch_from_the_simulated_clearinghouse_pays_claims(app, client, tmp_path):
    transport = SimulatedClearinghouse(tmp_path / "sim")
    app.state.transport = transport
    sent = submit_demo_claims(app, transport)
    assert transport.last_report and transport.last_report.paid > 0
    log_in(client, "biller")
    page = job_page_after(app, client, "/remittances/fetch", token(client, "/remittances"))
    assert page.status_code == 200, page.text
    assert 'data-testid="job-summary"' in page.text and 'data-posting="no"' in page.text
    kinds = re.findall(r'<tr data-testid="file-[^"]+" data-outcome="(?:applied|posting)" class="">'
                       r"\s*<td>[^<]+</td><td>(\w+)</td>", page.text)  # fmt: skip
    assert kinds == sorted(kinds, key=["999", "277CA", "835"].index) and "835" in kinds
    assert 'data-outcome="refused"' not in page.text
    postings = re.findall(r'href="(/remittances/jobs/\d+)" data-testid="posting-link"', page.text)
    assert len(postings) == kinds.count("835")  # each 835 links to its posting, done by now
    assert 'data-testid="posting-report"' in client.get(postings[0]).text
    now = statuses(app)
    assert any(now[n] == "paid" for n in sent)
    assert any(now[n] == "rejected" for n in sent) or all(now[n] != "submitted" for n in sent)
    empty = job_page_after(app, client, "/remittances/fetch", token(client, "/remittances"))
    assert "Nothing was waiting." in empty.text  # handled files were archived


def _record_visit(app) -> None:
    """One more visit (97110 for 38 minutes), on a claim's patient and coverage, not billed yet."""
    cid, users = _ids(app)
    run = build_scrub_context(app.state.settings, DEMO_TODAY)
    with app.state.db.unit_of_work(cid, users["rcole"]) as uow:
        claim = uow.claims.by_status("ready", limit=1)[0]
        provider = uow.records.first(ProviderRow, ProviderRow.user_id == users["rcole"]).id
        visits.record_visit(
            uow,
            patient_id=claim.patient_id,
            coverage_id=claim.coverage_id,
            provider_id=provider,
            date=DEMO_TODAY,
            services=[visits.Service("97110", 38)],
            note_type="daily",
            profiles=run.profiles,
        )


def test_build_claims_button(app, client):
    _record_visit(app)
    log_in(client, "biller")
    page = client.get("/remittances").text
    assert 'data-testid="build-claims"' in page
    page = job_page_after(app, client, "/queues/build-claims", token(client))
    assert re.search(r"1 claim built: [01] ready, [01] held\.", page.text), page.text[:2000]


def test_roles_and_csrf(client):
    log_in(client, "rcole")
    assert client.get("/remittances").status_code == 403
    assert client.get("/remittances/1").status_code == 403
    csrf = token(client)
    for path in ("/remittances/upload", "/remittances/fetch", "/queues/build-claims"):
        assert client.post(path, data={"csrf_token": csrf}).status_code == 403


def test_auditor_reads_but_cannot_post(client):
    log_in(client, "approver")  # approver + auditor
    page = client.get("/remittances")
    assert page.status_code == 200 and 'data-testid="upload-835"' not in page.text
    assert client.get("/remittances/99999").status_code == 404
    csrf = token(client, "/remittances")
    assert client.post("/remittances/fetch", data={"csrf_token": csrf}).status_code == 403


def test_posts_without_csrf_are_refused(client):
    log_in(client, "biller")
    assert client.post("/remittances/fetch").status_code == 403
    assert client.post("/remittances/upload", files={"file": ("a.835", b"x")}).status_code == 403
    assert client.post("/queues/build-claims").status_code == 403
