"""Admin pages: users (add, deactivate), payers, fees, API tokens shown once and revocable."""

from __future__ import annotations

import re

from sqlalchemy import select

from otbill.services.clinic.tokens import hash_token
from otbill.storage.tables import FeeScheduleRow, PayerRow, UserRow
from otbill.storage.tables.tokens import ApiTokenRow
from support.webkit import log_in, token


def _new_user(client, csrf: str, **fields: object):
    data = {
        "csrf_token": csrf,
        "username": "nbiller",
        "full_name": "New Biller",
        "password": "a-long-initial-pw",
        "roles": ["biller"],
        **fields,
    }
    return client.post("/admin/users", data=data, follow_redirects=False)


def test_admin_adds_a_user_who_can_then_log_in(client):
    log_in(client, "admin")
    page = client.get("/admin")
    assert page.status_code == 200
    for section in ("Users", "Payers", "Fee schedule", "API tokens"):
        assert f"<h2>{section}</h2>" in page.text
    added = _new_user(client, token(client, "/admin"))
    assert added.status_code == 303 and added.headers["location"] == "/admin?done=user"
    assert "User added" in client.get("/admin?done=user").text
    client.cookies.clear()
    log_in(client, "nbiller", "a-long-initial-pw")
    assert client.get("/", follow_redirects=False).headers["location"] == "/queues"


def test_bad_user_input_is_shown_not_a_500(client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    short = _new_user(client, csrf, password="short")
    assert short.status_code == 422 and "at least 10 characters" in short.text
    none = _new_user(client, csrf, roles=[])
    assert none.status_code == 422 and "at least one role" in none.text
    duplicate = _new_user(client, csrf, username="biller")
    assert duplicate.status_code == 422 and 'class="alert error"' in duplicate.text


def test_deactivated_user_cannot_log_in_and_admin_cannot_deactivate_self(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    with app.state.db.session() as session:
        ids = dict(session.execute(select(UserRow.username, UserRow.id)).all())
    done = client.post(f"/admin/users/{ids['biller']}/active", data={"csrf_token": csrf})
    assert done.status_code == 200 and "User deactivated" in done.text
    me = client.post(f"/admin/users/{ids['admin']}/active", data={"csrf_token": csrf})
    assert me.status_code == 422 and "cannot deactivate yourself" in me.text
    other = client.__class__(app)
    page = other.get("/login")
    refused = other.post(
        "/login",
        data={
            "clinic": "DEMO",
            "username": "biller",
            "password": "demo-biller",
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
        },
    )
    assert refused.status_code == 401


def test_admin_adds_a_payer_and_sets_a_fee(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    payer = client.post(
        "/admin/payers",
        data={"csrf_token": csrf, "payer_code": "99999", "name": "New Plan", "profile": "medicare"},
    )
    assert payer.status_code == 200 and "Payer added" in payer.text and "New Plan" in payer.text
    unknown = client.post(
        "/admin/payers",
        data={"csrf_token": csrf, "payer_code": "88888", "name": "X", "profile": "nope"},
    )
    assert unknown.status_code == 422
    with app.state.db.session() as session:
        new_id = session.scalar(select(PayerRow.id).where(PayerRow.payer_code == "99999"))
    fee = {"csrf_token": csrf, "code": "97530", "charge": "$75.00", "allowed": "38.10",
           "effective_from": "2025-04-01", "payer_id": str(new_id)}  # fmt: skip
    assert "Fee saved" in client.post("/admin/fees", data=fee).text
    with app.state.db.session() as session:
        row = session.scalars(select(FeeScheduleRow).where(FeeScheduleRow.payer_id == new_id)).one()
        assert (row.code, row.charge_cents, row.allowed_cents) == ("97530", 7500, 3810)
    bad = client.post("/admin/fees", data={**fee, "code": "ABCDE"})
    assert bad.status_code == 422 and 'class="alert error"' in bad.text
    money = client.post("/admin/fees", data={**fee, "charge": "lots"})
    assert money.status_code == 422 and "enter an amount in dollars" in money.text


def test_token_is_shown_once_and_stored_as_a_hash(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    with app.state.db.session() as session:
        biller = session.scalar(select(UserRow.id).where(UserRow.username == "biller"))
    made = client.post("/admin/tokens", data={"csrf_token": csrf, "user_id": biller, "name": "EHR"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"  # redirected
    secret = re.search(r'<code class="token">(otb_[^<]+)</code>', made.text).group(1)
    assert secret not in client.get("/admin").text  # never again
    with app.state.db.session() as session:
        row = session.scalars(select(ApiTokenRow)).one()
    assert row.token_hash == hash_token(secret) and secret not in (row.prefix + row.name)
    revoked = client.post(f"/admin/tokens/{row.id}/revoke", data={"csrf_token": csrf})
    assert "API token revoked" in revoked.text


def test_admin_pages_are_for_admins_only(client):
    log_in(client, "rcole")
    assert client.get("/admin").status_code == 403
    log_in(client, "approver")
    csrf = token(client, "/audit")
    assert client.post("/admin/users", data={"csrf_token": csrf}).status_code == 403
    assert client.post("/admin/tokens/1/revoke", data={"csrf_token": csrf}).status_code == 403
