"""The billing company's pages: a company user logs in with the company's code, sees exactly the
granted clinics (dashboard, cross-clinic queue), switches into one and opens a claim; a clinic's
own user never sees another clinic's claim by URL (a 404 in words), nor the company pages."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import text

from otbill.services.clinic import companies
from otbill.services.visits import record as visits
from otbill.storage.tables import ClaimRow
from support.claimflow import build_all, record_visit
from support.clinickit import seed_clinic
from support.webkit import csrf_of, log_in

PASSWORD = "company-pass-1"


def _claim_of(app, clinic_id: int) -> ClaimRow:
    with app.state.db.unit_of_work(clinic_id) as uow:
        found = uow.records.first(ClaimRow, ClaimRow.status == "ready")
        assert found is not None
        return found


def _two_more_clinics(app) -> dict[str, int]:
    ids = {}
    for n, code in enumerate(("EAST", "WEST"), start=1):
        seeded = seed_clinic(app.state.db, code, n)
        record_visit(
            app.state.db, seeded, dt.date(2025, 2, 3), [visits.Service("97165", 45)],
            note_type="evaluation",
        )  # fmt: skip
        build_all(app.state.db, seeded)
        ids[code] = seeded.clinic
    return ids


def _company(app, clinics: dict[str, int]) -> int:
    db = app.state.db
    companies.create_company(db, "ACME", "Acme OT Billing")
    boss = companies.add_company_user(db, "ACME", "boss", "Bo Boss", PASSWORD, owner=True)
    companies.add_company_user(db, "ACME", "clerk", "Cle Rk", PASSWORD, owner=False)
    for clinic_id in (1, clinics["EAST"]):
        companies.grant_clinic(db, boss, clinic_id, ["biller", "admin"], actor_id=None, by="test")
    return boss


def _company_login(client: TestClient, username: str = "boss") -> str:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"clinic": "acme", "username": username, "password": PASSWORD,
              "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_company_user_sees_the_granted_clinics_and_opens_a_claim(app, client):
    clinics = _two_more_clinics(app)
    _company(app, clinics)
    assert _company_login(client) == "/company"
    dashboard = client.get("/company")
    assert dashboard.status_code == 200
    assert 'data-clinic="DEMO"' in dashboard.text and 'data-clinic="EAST"' in dashboard.text
    assert 'data-clinic="WEST"' not in dashboard.text
    east, west = _claim_of(app, clinics["EAST"]), _claim_of(app, clinics["WEST"])
    queue = client.get("/company/queue", params={"tab": "ready", "clinic": ""})
    assert queue.status_code == 200 and "Next page" in queue.text  # DEMO's many, 50 a page
    found = client.get("/company/queue", params={"tab": "ready", "q": east.number})
    assert east.number in found.text and "Hands On OT EAST (EAST)" in found.text
    hidden = client.get("/company/queue", params={"tab": "ready", "q": west.number})
    assert "0 claims;" in hidden.text and "No claims in this queue" in hidden.text
    only_east = client.get("/company/queue", params={"tab": "ready", "clinic": clinics["EAST"]})
    assert "(DEMO)</td>" not in only_east.text and east.number in only_east.text
    switched = client.post(
        "/company/switch",
        data={"clinic_id": clinics["EAST"], "next": f"/claims/{east.id}",
              "csrf_token": csrf_of(queue.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert switched.status_code == 303 and switched.headers["location"] == f"/claims/{east.id}"
    claim = client.get(f"/claims/{east.id}")
    assert claim.status_code == 200 and east.number in claim.text
    elsewhere = client.get(f"/claims/{west.id}")
    assert elsewhere.status_code == 404 and "claim" in elsewhere.text.lower()
    refused = client.post(
        "/company/switch",
        data={"clinic_id": clinics["WEST"], "next": "/", "csrf_token": csrf_of(claim.text)},
    )
    assert refused.status_code == 404 and "not granted to you" in refused.text


def test_a_clinic_user_never_sees_another_clinics_claim(app, client):
    clinics = _two_more_clinics(app)
    east = _claim_of(app, clinics["EAST"])
    log_in(client, "biller")
    response = client.get(f"/claims/{east.id}")
    assert response.status_code == 404 and "claim" in response.text.lower()
    company = client.get("/company")
    assert company.status_code == 404 and "own user" in company.text


def test_company_login_without_a_grant_says_so(app, client):
    companies.create_company(app.state.db, "ACME", "Acme OT Billing")
    companies.add_company_user(app.state.db, "ACME", "boss", "Bo Boss", PASSWORD, owner=True)
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"clinic": "ACME", "username": "boss", "password": PASSWORD,
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert response.status_code == 403 and "No clinic is granted to you yet" in response.text


def test_the_owner_grants_and_revokes_a_clinic(app, client):
    clinics = _two_more_clinics(app)
    _company(app, clinics)
    _company_login(client)
    page = client.get("/company/grants")
    assert page.status_code == 200 and "clerk" in page.text
    granted = client.post(
        "/company/grants",
        data={"username": "clerk", "clinic_id": clinics["EAST"], "role": ["biller"],
              "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert granted.status_code == 303
    page = client.get("/company/grants")
    assert (
        "clerk may now work in the clinic as biller" in page.text and "EAST (biller)" in page.text
    )
    beyond = client.post(
        "/company/grants",
        data={"username": "clerk", "clinic_id": clinics["WEST"], "role": ["biller"],
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert "Nothing was granted: clinic" in beyond.text and "not one of your clinics" in beyond.text
    revoked = client.post(
        "/company/grants/revoke",
        data={"username": "clerk", "clinic_id": clinics["EAST"], "csrf_token": csrf_of(page.text)},
    )
    assert "clerk no longer works in the clinic" in revoked.text


def test_the_grants_api_lists_grants_and_revokes(app, client):
    clinics = _two_more_clinics(app)
    _company(app, clinics)
    _company_login(client)
    listed = client.get("/api/company/grants")
    assert listed.status_code == 200
    boss = next(u for u in listed.json()["users"] if u["username"] == "boss")
    assert {c["clinic_code"] for c in boss["clinics"]} == {"DEMO", "EAST"}
    headers = {"x-csrf-token": csrf_of(client.get("/company").text)}
    body = {"username": "clerk", "clinic_id": clinics["EAST"], "roles": ["biller"]}
    made = client.post("/api/company/grants", json=body, headers=headers)
    assert made.status_code == 201 and made.json()["user_id"] > 0
    refused = client.post(
        "/api/company/grants", json={**body, "clinic_id": clinics["WEST"]}, headers=headers
    )
    assert refused.status_code == 422 and "not one of your clinics" in refused.text
    ended = client.delete(f"/api/company/grants/{clinics['EAST']}/clerk", headers=headers)
    assert ended.status_code == 200 and ended.json() == {"sessions_ended": 0}


def test_the_owner_deactivates_a_user_whose_sessions_end_at_once(app, client):
    from fastapi.testclient import TestClient as Client

    clinics = _two_more_clinics(app)
    _company(app, clinics)
    clerk = companies.company_users(app.state.db, "ACME")[1]
    companies.grant_clinic(app.state.db, clerk.id, clinics["EAST"], ["biller"], actor_id=None,
                           by="test")  # fmt: skip
    other = Client(app)
    _company_login(other, "clerk")
    assert other.get("/company").status_code == 200
    _company_login(client)
    page = client.get("/company/grants")
    assert "Deactivate clerk" in page.text and "Deactivate boss" not in page.text
    done = client.post(
        "/company/users/deactivate", data={"username": "clerk", "csrf_token": csrf_of(page.text)}
    )
    assert "clerk can no longer log in (1 session(s) ended)." in done.text
    assert "deactivated" in done.text and "Reactivate clerk" in done.text
    gone = other.get("/company", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    login = other.get("/login")
    refused = other.post("/login", data={"clinic": "ACME", "username": "clerk",
                                         "password": PASSWORD, "csrf_token": csrf_of(login.text)})  # fmt: skip
    assert refused.status_code != 303 and "/company" not in str(refused.url)
    itself = client.post(
        "/company/users/deactivate", data={"username": "boss", "csrf_token": csrf_of(done.text)}
    )
    assert "Nothing was changed: users: you cannot deactivate yourself" in itself.text
    back = client.post(
        "/company/users/reactivate", data={"username": "clerk", "csrf_token": csrf_of(done.text)}
    )
    assert "clerk may log in again (1 clinic(s) still granted)." in back.text
    assert _company_login(other, "clerk") == "/company"


def test_a_company_user_changes_their_own_password(app, client):
    clinics = _two_more_clinics(app)
    _company(app, clinics)
    _company_login(client)
    page = client.get("/company/password")
    assert page.status_code == 200 and "ACME / boss" in page.text

    def change(current: str, new: str, again: str):
        form = {"current": current, "new": new, "again": again, "csrf_token": csrf_of(page.text)}
        return client.post("/company/password", data=form, follow_redirects=False)

    wrong = change("not-it-at-all", "brand-new-pass", "brand-new-pass")
    assert wrong.status_code == 422
    assert "Your password was not changed: current password: wrong" in wrong.text
    differ = change(PASSWORD, "brand-new-pass", "brand-new-pazz")
    assert differ.status_code == 422 and "repetition differ" in differ.text
    short = change(PASSWORD, "short", "short")
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = change(PASSWORD, "brand-new-pass", "brand-new-pass")
    assert done.status_code == 303 and done.headers["location"] == "/login?changed=1"
    assert client.get("/company", follow_redirects=False).status_code == 303  # logged out
    assert companies.company_login(app.state.db, "ACME", "boss", PASSWORD) is None
    assert companies.company_login(app.state.db, "ACME", "boss", "brand-new-pass") is not None
    query = "SELECT after FROM audit_event WHERE action = 'company.password'"
    with app.state.db.engine.connect() as conn:
        rows = conn.execute(text(query)).scalars().all()
    assert len(rows) == 2 and "brand-new-pass" not in str(rows)  # DEMO and EAST: no password
