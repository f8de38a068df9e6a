"""The browser side of sessions: an admin ends a user's sessions from /admin/sessions, and a user
changes their password at /account/password, which logs them out everywhere."""

from __future__ import annotations

from fastapi.testclient import TestClient

from otbill.services.clinic.clinics import clinic_by_code
from support.webkit import csrf_of, log_in


def _logged_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).headers["location"] != "/login?next=/"


def test_an_admin_sees_and_ends_a_users_sessions(app, client) -> None:
    biller = TestClient(app)
    log_in(biller, "biller")
    log_in(client, "admin")
    page = client.get("/admin/sessions")
    assert page.status_code == 200 and "Biller (biller)" in page.text
    with app.state.db.unit_of_work(clinic_by_code(app.state.db, "DEMO") or 0) as uow:
        biller_id = next(u.id for u in uow.users.accounts() if u.username == "biller")
    assert f'action="/admin/users/{biller_id}/sessions/end"' in page.text
    done = client.post(
        f"/admin/users/{biller_id}/sessions/end",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/admin/sessions"
    assert "ended: they must log in again" in client.get("/admin/sessions").text
    assert not _logged_in(biller)
    assert _logged_in(client)


def test_sessions_page_is_for_admins(client) -> None:
    log_in(client, "biller")
    assert client.get("/admin/sessions").status_code == 403


def test_changing_your_password_logs_you_out_everywhere(app, client) -> None:
    other_device = TestClient(app)
    log_in(other_device, "biller")
    log_in(client, "biller")
    form = client.get("/account/password")
    token = csrf_of(form.text)
    wrong = client.post(
        "/account/password",
        data={"current": "nope", "new": "a-new-long-password", "again": "a-new-long-password",
              "csrf_token": token},
    )  # fmt: skip
    assert wrong.status_code == 422 and "current password: wrong" in wrong.text
    done = client.post(
        "/account/password",
        data={"current": "demo-biller", "new": "a-new-long-password",
              "again": "a-new-long-password", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/login?changed=1"
    assert "Password changed" in client.get("/login?changed=1").text
    assert not _logged_in(client) and not _logged_in(other_device)
    log_in(client, "biller", "a-new-long-password")
