"""A busy database while the session is read or saved (issue 11, items 21 and 23): a 503 with
Retry-After before the page runs, and never a 500 after the page has answered."""

from __future__ import annotations

import pytest

from otbill.services.clinic import sessions
from otbill.storage.busy import DatabaseBusy
from support.webkit import PASSWORDS, csrf_of, log_in


def _busy(*args: object, **kwargs: object) -> None:
    raise DatabaseBusy("database is locked")


def test_a_busy_session_store_at_login_leaves_the_visitor_logged_out_not_a_500(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client.get("/login")
    monkeypatch.setattr(sessions, "start_session", _busy)
    answer = client.post("/login", data={"clinic": "DEMO", "username": "biller",
                                         "password": PASSWORDS["biller"],
                                         "csrf_token": csrf_of(page.text)},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303  # the page's own answer, not a 500
    assert client.get("/queues", follow_redirects=False).status_code in (303, 401)


def test_a_busy_session_store_when_reading_the_session_answers_503(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_in(client, "biller")
    monkeypatch.setattr(sessions, "resolve_session", _busy)
    answer = client.get("/queues")
    assert answer.status_code == 503 and answer.headers["retry-after"]
    assert "The database is busy" in answer.text


def test_a_busy_session_store_when_saving_a_change_keeps_the_page(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_in(client, "biller")
    monkeypatch.setattr(sessions, "save_session", _busy)
    monkeypatch.setattr(sessions, "end_session", _busy)
    logged_out = client.post("/logout", data={"csrf_token": csrf_of(client.get("/queues").text)},
                             follow_redirects=False)  # fmt: skip
    assert logged_out.status_code in (200, 303)
