"""The API as integrators meet it: a public OpenAPI document of API routes only, one error shape,
patients and coverages to read, and visits recorded only as one's own provider (issue 11, item 14)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.storage.tables import UserRow
from support.webkit import log_in, patient_of, provider_of, token


def _bearer(app, client: TestClient, username: str) -> dict[str, str]:
    """An admin creates an API token for ``username``; the bearer header (logged out after)."""
    with app.state.db.session() as session:
        uid = session.scalar(select(UserRow.id).where(UserRow.username == username))
    log_in(client, "admin")
    form = {"csrf_token": token(client, "/admin"), "user_id": uid, "name": "t"}
    page = client.post("/admin/tokens", data=form)
    secret = re.search(r'<code class="token">(otb_[^<]+)</code>', page.text).group(1)
    client.cookies.clear()
    return {"Authorization": f"Bearer {secret}"}


def _error(response) -> dict:
    body = response.json()
    assert (
        {"code", "message", "field"}
        <= set(body["error"])
        <= {"code", "message", "field", "problems"}
    ), body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_the_openapi_document_is_public_and_lists_api_routes_only(client):
    document = client.get("/api/openapi.json")
    assert document.status_code == 200, document.text[:200]
    paths = document.json()["paths"]
    assert paths and all(p.startswith("/api/") for p in paths), sorted(paths)
    assert "/api/patients/{patient_id}/coverages" in paths and "get" in paths["/api/patients"]
    assert "/api/openapi.json" not in paths and "/api/docs" not in paths
    assert '"error"' in document.json()["info"]["description"]
    assert client.get("/api/docs").status_code == 200


def test_every_api_error_has_one_shape(app, client):
    anonymous = _error(client.get("/api/claims"))
    assert anonymous == {"code": "unauthorized", "message": "log in first", "field": None}
    auth = _bearer(app, client, "biller")
    missing = client.get("/api/claims/NO-SUCH-CLAIM", headers=auth)
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"
    bad_limit = client.get("/api/claims?limit=0", headers=auth)
    assert bad_limit.status_code == 422
    assert _error(bad_limit)["code"] == "invalid" and _error(bad_limit)["field"] == "limit"
    unknown = client.get("/api/no-such-endpoint", headers=auth)
    assert unknown.status_code == 404 and _error(unknown)["code"] == "not_found"
    claim = {"claim_id": "C1", "lines": [{"minutes": "lots"}]}
    scrub = client.post("/api/scrub", json=claim, headers=auth)
    assert scrub.status_code == 422 and _error(scrub)["code"] == "invalid"
    revoked = client.get("/api/claims", headers={"Authorization": "Bearer otb_nonsense"})
    assert revoked.status_code == 401 and _error(revoked)["code"] == "unauthorized"
    therapist = _bearer(app, client, "rcole")
    forbidden = client.get("/api/claims", headers=therapist)
    assert forbidden.status_code == 403 and _error(forbidden)["code"] == "forbidden"


def test_a_therapist_finds_patients_and_their_coverages_through_the_api(app, client):
    auth = _bearer(app, client, "rcole")
    patient = patient_of(app, "rcole")
    found = client.get("/api/patients?page=1", headers=auth)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["total"] > len(body["items"]) and body["pages"] > 1
    coverages = client.get(f"/api/patients/{patient}/coverages", headers=auth)
    assert coverages.status_code == 200, coverages.text
    items = coverages.json()["items"]
    assert items and {"id", "payer", "member_id", "priority", "active"} <= set(items[0])
    missing = client.get("/api/patients/999999/coverages", headers=auth)
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"


def test_an_admin_cannot_record_visits_as_another_provider(app, client):
    patient = patient_of(app, "rcole")
    rcole = provider_of(app, "rcole")
    auth = _bearer(app, client, "rcole")
    coverage = client.get(f"/api/patients/{patient}/coverages", headers=auth).json()["items"][0]
    visit = {
        "patient_id": patient, "coverage_id": coverage["id"], "date": "2025-04-01",
        "services": [{"code": "97110", "minutes": 30}], "note_type": "daily",
        "provider_id": rcole.id,
    }  # fmt: skip
    admin = _bearer(app, client, "admin")
    refused = client.post("/api/visits", json=visit, headers=admin)
    assert refused.status_code == 403, refused.text
    assert "own" in _error(refused)["message"]
    assert client.post("/api/visits", json=visit, headers=auth).status_code == 201
