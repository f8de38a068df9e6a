"""The JSON API's authorizations: open, log two calls, approve, read, the queue, bad input."""

from __future__ import annotations

from support.webkit import log_in, patient_of, token


def _session(client, username: str = "biller") -> dict[str, str]:
    log_in(client, username)
    return {"X-CSRF-Token": token(client)}


def _coverage(client, headers, patient: int) -> int:
    found = client.get(f"/api/patients/{patient}", headers=headers).json()
    return found["coverages"][0]["id"]


def test_request_calls_approve_and_queue(app, client):
    headers = _session(client)
    coverage = _coverage(client, headers, patient_of(app, profile="commercial-in-network"))
    body = {"coverage_id": coverage, "number": "REQ-API", "start": "2025-05-01",
            "end": "2025-07-31", "codes": ["97530", "97110"]}  # fmt: skip
    made = client.post("/api/authorizations", json=body, headers=headers)
    assert made.status_code == 201, made.text
    auth = made.json()
    assert auth["status"] == "requested" and auth["codes"] == ["97530", "97110"]
    assert auth["moves"] == ["pending", "approved", "partially-approved", "denied"]
    for ref in ("C-1", "C-2"):
        call = {"kind": "call", "reference": ref, "contact": "Dana", "text": "In review"}
        assert client.post(f"/api/authorizations/{auth['id']}/entries", json=call,
                           headers=headers).status_code == 201  # fmt: skip
    pending = client.get("/api/authorizations/queue", headers=headers).json()["pending"]
    assert "REQ-API" in [a["number"] for a in pending]
    approve = {"status": "approved", "number": "A-API", "visits_authorized": 12}
    done = client.post(f"/api/authorizations/{auth['id']}/status", json=approve, headers=headers)
    assert done.status_code == 200, done.text
    shown = client.get(f"/api/authorizations/{auth['id']}", headers=headers).json()
    assert (shown["status"], shown["visits_left"], shown["pending_use"]) == ("approved", 12, 0)
    assert [e["reference"] for e in shown["entries"] if e["kind"] == "call"] == ["C-1", "C-2"]
    listed = client.get("/api/authorizations", headers=headers).json()
    assert "A-API" in [a["number"] for a in listed]


def test_bad_input_roles_and_schema(client):
    headers = _session(client)
    bad = {"coverage_id": 1, "number": "X", "start": "2025-05-02", "end": "2025-05-01"}
    answer = client.post("/api/authorizations", json=bad, headers=headers)
    assert answer.status_code == 422 and "end date 2025-05-01 is before" in answer.json()["detail"]
    call = {"kind": "call", "reference": "C-1"}
    assert client.post("/api/authorizations/999999/entries", json=call,
                       headers=headers).status_code == 404  # fmt: skip
    schema = client.get("/api/openapi.json", headers=headers).json()
    assert "/api/authorizations/{auth_id}/status" in schema["paths"]
    assert "AuthorizationQueueOut" in schema["components"]["schemas"]
    client.cookies.clear()
    headers = _session(client, "rcole")
    assert client.get("/api/authorizations", headers=headers).status_code == 403
