"""An eligibility check made by phone or portal, recorded on an existing coverage: the patient
page's form and the API; what ELG001 then reads."""

from __future__ import annotations

import re

from support.webkit import log_in, patient_of, token


def _first_coverage(client, patient: int) -> int:
    page = client.get(f"/patients/{patient}").text
    match = re.search(r'action="/coverages/(\d+)/eligibility"', page)
    assert match, "no eligibility form on an active coverage"
    return int(match.group(1))


def test_the_front_desk_records_a_check_on_an_existing_coverage(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    log_in(client, "biller")
    cover = _first_coverage(client, patient)
    url, csrf = f"/coverages/{cover}/eligibility", token(client, f"/patients/{patient}")
    future = client.post(url, data={"csrf_token": csrf, "checked_on": "2099-01-01"})
    assert (
        future.status_code == 422
        and "eligibility check date 2099-01-01: after today" in future.text
    )
    bad = client.post(url, data={"csrf_token": csrf, "checked_on": "2025-13-01"})
    assert bad.status_code == 422 and "eligibility check date" in bad.text
    done = client.post(url, data={"csrf_token": csrf, "checked_on": "2025-03-31", "active": "no"},
                       follow_redirects=False)  # fmt: skip
    assert (done.status_code, done.headers["location"]) == (
        303, f"/patients/{patient}?done=eligibility")  # fmt: skip
    page = client.get(done.headers["location"]).text
    assert "Eligibility check recorded." in page
    assert "eligibility checked 2025-03-31: not active" in page
    older = client.post(url, data={"csrf_token": csrf, "checked_on": "2025-03-01"})
    assert (
        older.status_code == 422 and "a later check (2025-03-31) is already recorded" in older.text
    )
    assert client.post("/coverages/999999/eligibility", data={"csrf_token": csrf,
                       "checked_on": "2025-03-31"}).status_code == 404  # fmt: skip
    with app.state.db.unit_of_work(1) as uow:
        events = uow.audit_reads.events(entity="coverage")
    assert [
        e.after["eligibility_active"] for e in events if e.action == "coverage.eligibility"
    ] == [False]
    client.cookies.clear()
    log_in(client, "rcole")  # a therapist does not record checks
    assert client.post(url, data={"csrf_token": token(client),
                                  "checked_on": "2025-03-31"}).status_code == 403  # fmt: skip


def test_the_api_records_a_check_and_shows_it(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    log_in(client, "biller")
    headers = {"X-CSRF-Token": token(client)}
    shown = client.get(f"/api/patients/{patient}", headers=headers).json()["coverages"][0]
    assert "eligibility_verified_on" in shown
    url = f"/api/coverages/{shown['id']}/eligibility-check"
    checked = client.post(url, json={"checked_on": "2025-03-30", "active": True}, headers=headers)
    assert checked.status_code == 200, checked.text
    assert (checked.json()["eligibility_verified_on"], checked.json()["eligibility_active"]) == (
        "2025-03-30", True)  # fmt: skip
    assert client.post(url, json={"checked_on": "2099-01-01", "active": True},
                       headers=headers).status_code == 422  # fmt: skip
    assert client.post("/api/coverages/999999/eligibility-check",
                       json={"checked_on": "2025-03-30", "active": True},
                       headers=headers).status_code == 404  # fmt: skip
