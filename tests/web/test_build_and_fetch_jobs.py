"""Issue 15: "Build claims" and "Fetch from the clearinghouse" run as jobs. Each button answers
at once with a redirect to its job's page (the work is held back here to show it), the page
polls while the job runs, then says what was done in plain words; a clearinghouse that cannot be
reached is said so."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from otbill.clearinghouse.transport import EdiFile
from otbill.services.jobs import claims_build
from support.jobpages import finish_jobs
from support.webkit import log_in, token


class _HeldClearinghouse:
    """A clearinghouse that answers once the test lets it (or never, refusing the connection)."""

    def __init__(self, *, down: bool = False) -> None:
        self.release, self.down = threading.Event(), down

    def send(self, files: Sequence[EdiFile]) -> None:
        raise AssertionError("nothing is sent by a fetch")

    def fetch(self) -> list[EdiFile]:
        if self.down:
            raise ConnectionRefusedError("connection refused by sftp.example.test")
        self.release.wait(15)
        return []

    def archive(self, name: str) -> None:
        raise AssertionError("nothing to archive")


def _press(client: TestClient, path: str, page: str) -> str:
    began = time.monotonic()
    posted = client.post(path, data={"csrf_token": token(client, page)}, follow_redirects=False)
    assert time.monotonic() - began < 5, "the button waited for the work"
    assert posted.status_code == 303, posted.text[:2000]
    return str(posted.headers["location"])


def test_build_claims_answers_at_once_and_its_page_then_says_what_was_built(
    app: Any, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, build = threading.Event(), claims_build.build_claims

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(15)
        return build(*args, **kwargs)

    monkeypatch.setattr(claims_build, "build_claims", held)
    log_in(client, "biller")
    page = _press(client, "/queues/build-claims", "/remittances")
    assert re.fullmatch(r"/queues/build/jobs/\d+", page)
    running = client.get(page).text
    assert 'data-testid="job-status"' in running and "hx-trigger" in running
    assert _press(client, "/queues/build-claims", "/remittances") == page  # the same build
    release.set()
    finish_jobs(app)
    done = client.get(f"{page}?part=progress").text
    assert 'data-state="done"' in done and "hx-trigger" not in done
    summary = re.search(r'data-testid="job-summary">(.*?)</p>', done, re.S)[1]
    assert re.match(r"\d+ claims? built: \d+ ready, \d+ held\.", summary), summary
    assert f'href="{page}"' in client.get("/jobs").text  # the jobs page links to it
    again = _press(client, "/queues/build-claims", "/remittances")
    assert again != page  # done: the next press is a new build (of what is unbilled now)
    finish_jobs(app)
    assert "0 claims built: 0 ready, 0 held." in client.get(again).text


def test_fetch_answers_at_once_and_its_page_then_says_what_came(
    app: Any, client: TestClient
) -> None:
    clearinghouse = _HeldClearinghouse()
    app.state.transport = clearinghouse
    log_in(client, "biller")
    page = _press(client, "/remittances/fetch", "/remittances")
    assert re.fullmatch(r"/remittances/fetch/jobs/\d+", page)
    running = client.get(page).text
    assert 'data-testid="job-status"' in running and "hx-trigger" in running
    clearinghouse.release.set()
    finish_jobs(app)
    done = client.get(page).text
    assert "Nothing was waiting." in done and "hx-trigger" not in done
    assert f'href="{page}"' in client.get("/jobs").text


def test_a_clearinghouse_that_cannot_be_reached_is_said_in_words(
    app: Any, client: TestClient
) -> None:
    app.state.transport = _HeldClearinghouse(down=True)
    log_in(client, "biller")
    page = _press(client, "/remittances/fetch", "/remittances")
    finish_jobs(app)
    error = re.search(r'data-testid="job-error">(.*?)</p>', client.get(page).text, re.S)[1]
    assert error == ("Nothing was fetched: could not reach the clearinghouse: "
                     "connection refused by sftp.example.test")  # fmt: skip


def test_job_pages_of_another_kind_or_unknown_are_not_found(app: Any, client: TestClient) -> None:
    log_in(client, "biller")
    page = _press(client, "/queues/build-claims", "/remittances")
    finish_jobs(app)
    build_id = page.rsplit("/", 1)[1]
    assert client.get(f"/remittances/fetch/jobs/{build_id}").status_code == 404
    assert client.get("/queues/build/jobs/nope").status_code == 404
    log_in(client, "rcole")
    assert client.get(page).status_code == 403  # billers only
