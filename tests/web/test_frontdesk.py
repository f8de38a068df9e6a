"""Front-desk pages: register (with the duplicate warning), coverage, documents, search."""

from __future__ import annotations

import re

from otbill.services.clinic import setup as clinic
from support.webkit import log_in, token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PATIENT = {
    "first_name": "Maya",
    "last_name": "Quill",
    "dob": "1950-07-14",
    "sex": "F",
    "address_line1": "12 Elm St",
    "city": "Austin",
    "state": "TX",
    "zip": "78702",
    "phone": "512-555-0101",
    "guarantor": "self",
    "consent_on": "2025-03-30",
}


def _register(client, **fields: str):
    data = {"csrf_token": token(client, "/patients/new"), **PATIENT, **fields}
    return client.post("/patients", data=data, follow_redirects=False)


def _registered(client) -> int:
    response = _register(client)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/patients/(\d+)\?done=registered", response.headers["location"])
    assert match
    return int(match.group(1))


def _medicare_id(client, patient: int) -> str:
    page = client.get(f"/patients/{patient}").text
    match = re.search(r'<option value="(\d+)"[^>]*>Medicare', page)
    assert match, "no Medicare payer on the form"
    return match.group(1)


def test_register_then_the_duplicate_warning_then_acknowledge(client):
    log_in(client, "biller")
    patient = _registered(client)
    page = client.get(f"/patients/{patient}?done=registered")
    assert "Patient registered." in page.text and "Quill, Maya" in page.text
    assert "No active coverage today." in page.text
    again = _register(client)
    assert again.status_code == 409 and 'id="duplicate-warning"' in again.text
    assert 'value="Quill"' in again.text  # the form is shown again as typed
    anyway = _register(client, duplicate_ok="yes")
    assert anyway.status_code == 303
    listed = client.get("/patients?q=quill")
    assert listed.text.count("Quill, Maya") == 2 and "2 patients found" in listed.text


def test_bad_input_is_named_and_the_form_kept(client):
    log_in(client, "biller")
    future = _register(client, dob="2030-01-01")
    assert future.status_code == 422 and "date of birth 2030-01-01: is in the future" in future.text
    assert 'value="Maya"' in future.text
    assert '<span class="field-error sev-error" id="dob-error">' in future.text  # beside the field
    not_a_date = _register(client, dob="14/07/1950")
    assert not_a_date.status_code == 422 and "not a date (YYYY-MM-DD)" in not_a_date.text
    guarantor = _register(client, guarantor="other")
    assert (
        guarantor.status_code == 422 and "guarantor: needs a first and last name" in guarantor.text
    )


def test_coverage_mbi_overlap_and_end(client):
    log_in(client, "biller")
    patient = _registered(client)
    medicare = _medicare_id(client, patient)
    csrf = token(client, f"/patients/{patient}")
    card = {
        "csrf_token": csrf,
        "payer_id": medicare,
        "priority": "1",
        "effective_from": "2025-01-01",
        "relationship": "self",
    }
    url = f"/patients/{patient}/coverages"
    bad = client.post(url, data={**card, "member_id": "1EG4TE5MK7O"}, follow_redirects=False)
    assert bad.status_code == 422 and "not a Medicare MBI: position 11 must be a digit" in bad.text
    assert 'id="member_id-error"' in bad.text and 'value="1EG4TE5MK7O"' in bad.text
    good = client.post(
        url, data={**card, "member_id": "1EG4-TE5-MK72", "copay": "20"}, follow_redirects=False
    )
    assert good.status_code == 303
    page = client.get(good.headers["location"]).text
    assert "1EG4TE5MK72" in page and "copay $20.00" in page and "Coverage added." in page
    overlap = client.post(url, data={**card, "member_id": "5EG4TE5MK72"}, follow_redirects=False)
    assert overlap.status_code == 422 and "already has a primary coverage" in overlap.text
    coverage_id = re.search(r'action="/coverages/(\d+)/end"', page).group(1)  # type: ignore[union-attr]
    ended = client.post(
        f"/coverages/{coverage_id}/end",
        data={"csrf_token": csrf, "last_day": "2024-12-01"},
        follow_redirects=False,
    )
    assert ended.status_code == 422 and "before the effective date" in ended.text
    ended = client.post(
        f"/coverages/{coverage_id}/end",
        data={"csrf_token": csrf, "last_day": "2025-03-31"},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert "ended</span>" in client.get(f"/patients/{patient}").text


def test_coverage_with_an_eligibility_check_made_by_phone(client):
    log_in(client, "biller")
    patient = _registered(client)
    card = {"csrf_token": token(client, f"/patients/{patient}"), "payer_id": _medicare_id(client, patient),
            "priority": "1", "effective_from": "2025-01-01", "relationship": "self",
            "member_id": "1EG4-TE5-MK72"}  # fmt: skip
    url = f"/patients/{patient}/coverages"
    bad = client.post(url, data={**card, "eligibility_verified_on": "2025-02-30"})
    assert bad.status_code == 422 and 'id="eligibility_verified_on-error"' in bad.text
    assert "eligibility check date '2025-02-30': not a date" in bad.text.replace("&#39;", "'")
    checked = {**card, "eligibility_verified_on": "2025-03-28", "eligibility_active": "no"}
    good = client.post(url, data=checked, follow_redirects=False)
    assert good.status_code == 303
    assert "eligibility checked 2025-03-28: not active" in client.get(good.headers["location"]).text


def test_documents_upload_type_checked_and_download_for_authorized_users(client):
    log_in(client, "biller")
    patient = _registered(client)
    csrf = token(client, f"/patients/{patient}")
    url = f"/patients/{patient}/documents"
    fake = client.post(
        url,
        data={"csrf_token": csrf, "kind": "card-front"},
        files={"file": ("card.png", b"MZ\x90 program", "image/png")},
        follow_redirects=False,
    )
    assert fake.status_code == 422 and "card.png: not a PNG, JPEG or PDF file" in fake.text
    ok = client.post(
        url,
        data={"csrf_token": csrf, "kind": "card-front"},
        files={"file": ("card.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = client.get(f"/patients/{patient}").text
    document = re.search(r'href="/documents/(\d+)">card.png', page).group(1)  # type: ignore[union-attr]
    download = client.get(f"/documents/{document}")
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert "attachment" in download.headers["content-disposition"]
    assert client.get("/documents/999999").status_code == 404
    client.cookies.clear()
    log_in(client, "rcole")  # a therapist: not front-desk work
    assert client.get(f"/documents/{document}").status_code == 403
    assert client.get("/patients").status_code == 403


def test_edit_and_search_by_account_number(client):
    log_in(client, "biller")
    patient = _registered(client)
    form = client.get(f"/patients/{patient}/edit").text
    assert 'value="Quill"' in form
    data = {"csrf_token": token(client, "/patients/new"), **PATIENT, "last_name": "Quill-Ray"}
    saved = client.post(f"/patients/{patient}", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=saved")
    page = client.get(f"/patients/{patient}").text
    account = re.search(r"<th>Account number</th><td>(\d+)</td>", page).group(1)  # type: ignore[union-attr]
    found = client.get(f"/patients?q={account}").text
    assert "Quill-Ray, Maya" in found and "1 patient found" in found
    assert client.get("/patients?dob=1950-07-14").status_code == 200
    assert "not a date" in client.get("/patients?dob=yesterday").text


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/patients", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_front_desk_role_registers_patients(app, client):
    with app.state.db.unit_of_work(1) as uow:
        clinic.add_user(
            uow,
            username="desk",
            full_name="Dee Desk",
            password="pw-desk-long",
            roles=["front-desk"],
        )
    log_in(client, "desk", "pw-desk-long")
    home = client.get("/patients")
    assert home.status_code == 200 and 'href="/patients/new"' in home.text
    assert _register(client).status_code == 303
    assert client.get("/queues").status_code == 403  # claims are not front-desk work
