"""Issue 11 item 11: error pages a person can leave, plain account messages, redirect after post."""

from __future__ import annotations

import re

from sqlalchemy import select

from otbill.storage.tables import UserRow
from support.webkit import PASSWORDS, log_in, token


def _nav(html: str) -> list[str]:
    found = re.search(r"<nav>(.*?)</nav>", html, re.S)
    return re.findall(r'href="([^"]+)"', found[1]) if found else []


def test_an_unknown_page_is_an_html_404_with_navigation(client):
    log_in(client, "biller")
    page = client.get("/no/such/page", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and "/queues" in _nav(page.text)
    assert '"detail"' not in page.text


def test_an_unknown_page_before_login_is_html_too(client):
    page = client.get("/nothing-here", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'href="/login"' in page.text


def test_unknown_api_paths_keep_json(client):
    log_in(client, "biller")
    answer = client.get("/api/no-such-thing")
    assert answer.status_code == 404 and answer.json()["detail"] == "Not Found"
    assert answer.json()["error"] == {"code": "not_found", "message": "Not Found", "field": None}


def test_the_403_page_has_navigation(client):
    log_in(client, "rcole")
    page = client.get("/admin")
    assert page.status_code == 403 and "Not allowed" in page.text
    assert "/therapist" in _nav(page.text)


def _add_user(client, username: str):
    form = {"csrf_token": token(client, "/admin"), "username": username, "full_name": "New Person",
            "password": "a-long-password-1", "roles": "biller"}  # fmt: skip
    return client.post("/admin/users", data=form, follow_redirects=False)


def test_a_taken_username_gets_a_plain_message(client):
    log_in(client, "admin")
    refused = _add_user(client, "rcole")
    assert refused.status_code == 422
    assert "The user name rcole is taken" in refused.text
    for raw in ("app_user", "uq_", "constraint", "UNIQUE"):
        assert raw not in refused.text


def test_usernames_are_case_insensitive(app, client):
    log_in(client, "admin")
    assert _add_user(client, "RCole").status_code == 422  # rcole exists
    assert _add_user(client, "NewBiller").status_code == 303
    assert _add_user(client, "newbiller").status_code == 422
    client.cookies.clear()
    log_in(client, "BILLER", PASSWORDS["biller"])
    assert "Bea Biller" in client.get("/queues").text
    with app.state.db.session() as session:
        names = set(session.scalars(select(UserRow.username)))
    assert "NewBiller" in names  # kept as typed; only compared without case


def test_a_new_api_token_is_shown_after_a_redirect_and_a_reload_makes_no_second(app, client):
    log_in(client, "admin")
    with app.state.db.session() as session:
        biller = session.scalar(select(UserRow.id).where(UserRow.username == "biller"))
    form = {"csrf_token": token(client, "/admin"), "user_id": biller, "name": "EHR"}
    made = client.post("/admin/tokens", data=form, follow_redirects=False)
    assert made.status_code == 303
    shown = client.get(made.headers["location"])
    assert re.search(r'<code class="token">otb_[^<]+</code>', shown.text)
    assert shown.headers["cache-control"] == "no-store"
    assert "otb_" not in client.get("/admin").text.split("API tokens")[0]
    assert not re.search(r'<code class="token">otb_', client.get("/admin").text)
