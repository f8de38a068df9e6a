"""The first run on an empty database: every page leads to /setup, which creates the clinic and
its first admin once; then the admin logs in and sets the clinic up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from otbill.settings import Settings
from otbill.web.app import create_app
from support.webkit import csrf_of

CLINIC = {
    "code": "north", "name": "Northside Therapy LLC", "tax_id": "04-2103594",
    "npi": "1234567893", "taxonomy": "225X00000X", "line1": "1 Main St", "city": "Boston",
    "state": "ma", "zip": "02110", "username": "owner", "full_name": "Olive Owner",
    "password": "owner-password", "password_again": "owner-password",
}  # fmt: skip


@pytest.fixture
def empty_client(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url, secret_key="t"))
    app.state.first_run_code = "code-from-the-console"
    with TestClient(app) as client:
        yield client


def _post(client: TestClient, **changes: str):
    csrf = csrf_of(client.get("/setup").text)
    data = {**CLINIC, "setup_code": "code-from-the-console", **changes, "csrf_token": csrf}
    return client.post("/setup", data=data,
                       follow_redirects=False)  # fmt: skip


def test_every_page_leads_to_the_first_run_until_a_clinic_exists(empty_client):
    for path in ("/", "/login", "/admin", "/queues"):
        response = empty_client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/setup")
    assert empty_client.get("/api/claims").status_code == 503
    page = empty_client.get("/setup")
    assert page.status_code == 200 and "set up your clinic" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tax_id": "00-1234567"}, "tax ID (EIN) 00-1234567"),
        ({"npi": "1234567890"}, "billing NPI &#39;1234567890&#39;: check digit"),
        ({"state": "Massachusetts"}, "clinic address state"),
        ({"password_again": "something-else"}, "the two passwords differ"),
        ({"password": "short", "password_again": "short"}, "at least 10 characters"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(empty_client, changes, message):
    response = _post(empty_client, **changes)
    assert response.status_code == 422 and message in response.text
    assert 'value="Northside Therapy LLC"' in response.text  # what was typed stays
    assert empty_client.get("/login", follow_redirects=False).headers["location"] == "/setup"


def test_first_run_creates_the_clinic_and_admin_once(empty_client):
    done = _post(empty_client)
    assert done.status_code == 303 and done.headers["location"].startswith("/login")
    again = _post(empty_client, code="OTHER")
    assert again.status_code == 303 and again.headers["location"] == "/login"
    csrf = csrf_of(empty_client.get("/login").text)
    login = empty_client.post(
        "/login",
        data={"clinic": "NORTH", "username": "owner", "password": "owner-password",
              "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert login.status_code == 303
    admin = empty_client.get("/admin")
    assert admin.status_code == 200 and "owner" in admin.text


def test_the_first_run_needs_the_code_printed_in_the_console(empty_client):
    linked = empty_client.get("/setup?code=code-from-the-console").text
    assert 'value="code-from-the-console"' in linked  # the printed link fills it in
    wrong = _post(empty_client, setup_code="guess")
    assert wrong.status_code == 422 and "setup code: not the code otbill printed" in wrong.text
    assert 'value="guess"' not in wrong.text and 'value="Northside Therapy LLC"' in wrong.text
    assert empty_client.get("/", follow_redirects=False).headers["location"] == "/setup"
    assert _post(empty_client).status_code == 303
