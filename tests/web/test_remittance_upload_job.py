"""Uploading an 835 posts it off the event loop: the upload answers at once, other requests are
served while it posts, and the job's page shows the progress and then the result."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from otbill.services.remittances import remittance_posting
from otbill.storage.busy import DatabaseBusy
from otbill.web.posting_jobs import posting_jobs
from support.demoflow import simulated_835
from support.webkit import log_in, token


def _send(client: TestClient, name: str, data: bytes) -> Any:
    fields = {"csrf_token": token(client, "/remittances")}
    return client.post(
        "/remittances/upload", data=fields, files={"file": (name, data)}, follow_redirects=False
    )


def test_the_server_answers_others_while_an_upload_posts(
    app: Any, client: TestClient, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data = simulated_835(app, tmp_path)
    release = threading.Event()
    plan = remittance_posting.plan_claim

    def held(*args: Any) -> Any:
        release.wait(15)  # the posting stays busy until the test lets it go
        return plan(*args)

    monkeypatch.setattr(remittance_posting, "plan_claim", held)
    log_in(client, "biller")
    began = time.monotonic()
    sent = _send(client, name, data)
    assert time.monotonic() - began < 5, "the upload waited for the posting"
    assert sent.status_code == 303
    job_page = sent.headers["location"]
    began = time.monotonic()
    assert client.get("/login").status_code == 200  # another request, served meanwhile
    assert time.monotonic() - began < 2
    running = client.get(job_page)
    assert running.status_code == 200
    assert 'data-testid="job-status"' in running.text and "hx-trigger" in running.text
    assert re.search(r"Posting: 0 of \d+ claim payments done|Waiting for another", running.text)
    release.set()
    posting_jobs(app.state).wait(60)
    done = client.get(f"{job_page}?part=progress")
    assert 'data-state="done"' in done.text and 'data-testid="posting-report"' in done.text
    assert "hx-trigger" not in done.text  # polling stops
    assert re.search(r'data-testid="count-matched">[1-9]', done.text)


def test_a_posting_that_fails_shows_why_on_its_page(
    app: Any, client: TestClient, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data = simulated_835(app, tmp_path)

    def busy(*args: Any) -> Any:
        raise DatabaseBusy("database is locked")

    monkeypatch.setattr(remittance_posting, "plan_claim", busy)
    log_in(client, "biller")
    sent = _send(client, name, data)
    posting_jobs(app.state).wait(60)
    page = client.get(sent.headers["location"])
    error = re.search(r'data-testid="job-error">(.*?)</p>', page.text, re.S)[1]
    assert "the database stayed busy; 0 of" in error and "post the same file again" in error


def test_a_job_of_another_clinic_or_unknown_is_not_found(client: TestClient) -> None:
    log_in(client, "biller")
    assert client.get("/remittances/jobs/nope").status_code == 404
