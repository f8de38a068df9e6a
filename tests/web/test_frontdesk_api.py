"""The JSON API's front desk: patients (409 for a possible duplicate), coverage, documents."""

from __future__ import annotations

from support.webkit import log_in, token

PDF = b"%PDF-1.4\n% a scanned referral\n"
PATIENT = {
    "first_name": "Iris",
    "last_name": "Vale",
    "dob": "1947-02-03",
    "sex": "F",
    "address": {"line1": "3 Oak Rd", "city": "Austin", "state": "TX", "zip": "78704"},
    "guarantor": {
        "first_name": "Tom",
        "last_name": "Vale",
        "relationship": "son",
        "phone": "512-555-0199",
    },
}


def _session(client, username: str = "biller") -> dict[str, str]:
    log_in(client, username)
    return {"X-CSRF-Token": token(client)}


def _medicare(client, headers) -> int:
    found = client.get("/api/patients?q=", headers=headers).json()
    patient = client.get(f"/api/patients/{found['items'][0]['id']}", headers=headers).json()
    ids = {c["payer"]: c["payer_id"] for c in patient["coverages"]}
    return next(pid for name, pid in ids.items() if "Medicare" in name)


def test_register_search_edit_and_duplicates(client):
    headers = _session(client)
    made = client.post("/api/patients", json=PATIENT, headers=headers)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["account_number"] and body["coverages"] == [] and body["last_name"] == "Vale"
    again = client.post("/api/patients", json=PATIENT, headers=headers)
    assert again.status_code == 409 and "possible duplicate" in again.json()["detail"]
    anyway = client.post("/api/patients", json={**PATIENT, "duplicate_ok": True}, headers=headers)
    assert anyway.status_code == 201
    found = client.get("/api/patients?q=vale", headers=headers).json()
    assert found["total"] == 2
    bad = client.post("/api/patients", json={**PATIENT, "dob": "1899-01-01"}, headers=headers)
    assert bad.status_code == 422 and "before 1900" in bad.json()["detail"]
    edited = client.put(
        f"/api/patients/{body['id']}", json={**PATIENT, "phone": "512-555-0100"}, headers=headers
    )
    assert edited.json()["phone"] == "512-555-0100"
    assert edited.json()["account_number"] == body["account_number"]
    assert client.get("/api/patients/999999", headers=headers).status_code == 404


def test_coverage_and_documents(client):
    headers = _session(client)
    patient = client.post("/api/patients", json=PATIENT, headers=headers).json()["id"]
    medicare = _medicare(client, headers)
    card = {"payer_id": medicare, "member_id": "1EG4TE5MK7I", "effective_from": "2025-01-01"}
    url = f"/api/patients/{patient}/coverages"
    bad = client.post(url, json=card, headers=headers)
    assert bad.status_code == 422 and "position 11 must be a digit" in bad.json()["detail"]
    made = client.post(url, json={**card, "member_id": "1EG4TE5MK72"}, headers=headers)
    assert made.status_code == 201 and made.json()["active"] is True
    overlap = client.post(url, json={**card, "member_id": "2EG4TE5MK72"}, headers=headers)
    assert overlap.status_code == 422 and "already has a primary" in overlap.json()["detail"]
    ended = client.post(
        f"/api/coverages/{made.json()['id']}/end", json={"last_day": "2025-02-28"}, headers=headers
    )
    assert ended.status_code == 200 and ended.json()["active"] is False

    docs = f"/api/patients/{patient}/documents?kind=referral&filename=ref.pdf"
    fake = client.post(docs, content=b"<html>not a pdf</html>", headers=headers)
    assert fake.status_code == 422 and "not a PNG, JPEG or PDF" in fake.json()["detail"]
    stored = client.post(docs, content=PDF, headers=headers)
    assert stored.status_code == 201 and stored.json()["content_type"] == "application/pdf"
    got = client.get(f"/api/documents/{stored.json()['id']}", headers=headers)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"


def test_roles_and_openapi(client):
    therapist = _session(client, "rcole")
    assert client.get("/api/patients", headers=therapist).status_code == 200  # to find whom
    assert client.get("/api/patients/1", headers=therapist).status_code == 403  # not the file
    client.cookies.clear()
    assert client.get("/api/patients").status_code == 401
    headers = _session(client)
    paths = client.get("/api/openapi.json", headers=headers).json()["paths"]
    for path in (
        "/api/patients",
        "/api/patients/{patient_id}",
        "/api/patients/{patient_id}/coverages",
        "/api/coverages/{coverage_id}/end",
        "/api/documents/{document_id}",
    ):
        assert path in paths
