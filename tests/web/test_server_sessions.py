"""Sessions on the server (issue 11, item 23): the cookie is a random id, and ending the session
— logout, a password change, an admin, the idle or absolute timeout — makes a copied cookie
worthless."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from otbill.services.clinic import accounts, sessions
from otbill.services.clinic.clinics import clinic_by_code
from support.webkit import csrf_of, log_in


def _logged_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).headers["location"] != "/login?next=/"


def _copy(app, client: TestClient) -> TestClient:
    thief = TestClient(app)
    thief.cookies.set("otbill_session", client.cookies["otbill_session"])
    return thief


def _demo_user_ids(app) -> tuple[int, dict[str, int]]:
    """The demo clinic's id and its users' ids by username."""
    clinic = clinic_by_code(app.state.db, "DEMO")
    assert clinic is not None
    with app.state.db.unit_of_work(clinic) as uow:
        return clinic, {u.username: u.id for u in uow.users.accounts()}


def test_the_cookie_holds_only_a_random_id_stored_as_a_hash(app, client) -> None:
    log_in(client, "biller")
    value = client.cookies["otbill_session"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value)
    with app.state.db.engine.connect() as conn:
        hashes = conn.execute(text("SELECT token_hash FROM login_session")).scalars().all()
    assert sessions.hash_session_id(value) in hashes and value not in hashes


def test_login_issues_a_new_id(client) -> None:
    client.get("/login")
    before = client.cookies["otbill_session"]
    log_in(client, "biller")
    assert client.cookies["otbill_session"] != before  # an id planted before login is useless


def test_a_copied_cookie_stops_working_at_logout(app, client) -> None:
    log_in(client, "biller")
    thief = _copy(app, client)
    assert _logged_in(thief)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/login").text)})
    assert not _logged_in(thief)
    assert not _logged_in(client)


def test_an_idle_session_ends(app, client, monkeypatch: pytest.MonkeyPatch) -> None:
    log_in(client, "biller")
    later = sessions.session_clock() + dt.timedelta(minutes=31)
    monkeypatch.setattr(sessions, "session_clock", lambda: later)
    assert not _logged_in(client)


def test_a_busy_session_still_ends_after_twelve_hours(app, client, monkeypatch) -> None:
    log_in(client, "biller")
    start = sessions.session_clock()
    for minutes in range(20, 12 * 60, 20):  # used every 20 minutes: never idle
        monkeypatch.setattr(
            sessions, "session_clock", lambda m=minutes: start + dt.timedelta(minutes=m)
        )
        assert _logged_in(client), minutes
    monkeypatch.setattr(
        sessions, "session_clock", lambda: start + dt.timedelta(hours=12, minutes=1)
    )
    assert not _logged_in(client)


def test_an_admin_ends_a_users_sessions(app, client) -> None:
    log_in(client, "biller")
    db, (clinic, users) = app.state.db, _demo_user_ids(app)
    biller, admin = users["biller"], users["admin"]
    with db.unit_of_work(clinic, admin) as uow:
        assert len(sessions.live_sessions(uow, biller)) == 1
        assert sessions.end_user_sessions(uow, biller) == 1
    assert not _logged_in(client)


def test_a_password_change_ends_every_session(app, client) -> None:
    log_in(client, "biller")
    db, (clinic, users) = app.state.db, _demo_user_ids(app)
    biller = users["biller"]
    with db.unit_of_work(clinic, biller) as uow:
        assert sessions.change_password(uow, biller, "demo-biller", "a-new-long-password") == 1
    assert not _logged_in(client)
    log_in(client, "biller", "a-new-long-password")
    assert _logged_in(client)


def test_deactivating_a_user_ends_their_sessions_at_once(app, client) -> None:
    log_in(client, "biller")
    db, (clinic, users) = app.state.db, _demo_user_ids(app)
    biller, admin = users["biller"], users["admin"]
    with db.unit_of_work(clinic, admin) as uow:
        accounts.set_user_active(uow, biller, False)
    assert not _logged_in(client)  # not after the user cache's 30 s: now
    with db.unit_of_work(clinic) as uow:
        assert sessions.live_sessions(uow, biller) == []
