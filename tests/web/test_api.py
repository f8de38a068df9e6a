"""The JSON API: bearer tokens or the session, roles, CSRF only for browsers, scrub, OpenAPI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.storage.tables import CoverageRow, PayerRow, UserRow
from otbill.web.bearer import BearerTokenMiddleware
from support.demoflow import make_835, send_claims
from support.webkit import log_in, token

EXAMPLES = Path(__file__).parents[2] / "examples" / "claims.json"


@pytest.fixture
def client(app):
    """The app with the bearer middleware (until ``create_app`` adds it itself)."""
    if not any(m.cls is BearerTokenMiddleware for m in app.user_middleware):
        app.add_middleware(BearerTokenMiddleware)
    with TestClient(app) as test_client:
        yield test_client


def _uid(app, username: str) -> int:
    with app.state.db.session() as session:
        return session.scalar(select(UserRow.id).where(UserRow.username == username))


def make_token(app, client: TestClient, username: str) -> dict[str, str]:
    """An admin creates a token for ``username``; returns the bearer header. Logs out after."""
    log_in(client, "admin")
    form = {"csrf_token": token(client, "/admin"), "user_id": _uid(app, username), "name": "t"}
    page = client.post("/admin/tokens", data=form)
    secret = re.search(r'<code class="token">(otb_[^<]+)</code>', page.text).group(1)
    client.cookies.clear()
    return {"Authorization": f"Bearer {secret}"}


def test_bearer_token_lists_claims_and_revoked_token_is_refused(app, client):
    auth = make_token(app, client, "biller")
    claims = client.get("/api/claims?status=held&limit=5", headers=auth)
    assert claims.status_code == 200
    body = claims.json()
    assert len(body["items"]) == 5 and body["next_offset"] == 5
    assert {c["status"] for c in body["items"]} == {"held"}
    one = client.get(f"/api/claims/{body['items'][0]['id']}", headers=auth).json()
    assert one["findings"] and one["lines"] and one["history"][0]["from"] == "draft"
    assert client.get("/api/claims/999999", headers=auth).status_code == 404
    log_in(client, "admin")
    csrf = token(client, "/admin")
    client.post("/admin/tokens/1/revoke", data={"csrf_token": csrf})
    client.cookies.clear()
    refused = client.get("/api/claims", headers=auth)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    wrong = client.get("/api/claims", headers={"Authorization": "Bearer otb_not-a-token"})
    assert wrong.status_code == 401
    assert client.get("/api/claims").status_code == 401  # nobody at all


def test_roles_apply_to_tokens(app, client):
    therapist = make_token(app, client, "rcole")
    assert client.get("/api/claims", headers=therapist).status_code == 403
    visits = client.get("/api/visits", headers=therapist).json()["items"]
    assert visits and {v["provider_id"] for v in visits} == {visits[0]["provider_id"]}
    auditor = make_token(app, client, "approver")
    assert client.get("/api/claims", headers=auditor).status_code == 200
    denied = client.post("/api/remittances", headers=auditor, content=b"ISA*")
    assert denied.status_code == 403


def test_bearer_needs_no_csrf_but_a_cookie_session_does(app, client):
    auth = make_token(app, client, "biller")
    claims = json.loads(EXAMPLES.read_text())
    assert client.post("/api/scrub", json=claims, headers=auth).status_code == 200
    log_in(client, "biller")
    assert client.post("/api/scrub", json=claims).status_code == 403  # session, no CSRF token
    csrf = token(client, "/login")
    with_csrf = client.post("/api/scrub", json=claims, headers={"X-CSRF-Token": csrf})
    assert with_csrf.status_code == 200


def test_scrub_returns_findings_and_names_bad_fields(app, client):
    auth = make_token(app, client, "biller")
    result = client.post("/api/scrub", json=json.loads(EXAMPLES.read_text()), headers=auth)
    body = result.json()
    assert body["summary"]["claims"] == 6 and body["summary"]["held"] >= 1
    held = next(c for c in body["claims"] if c["status"] == "held")
    assert held["findings"][0]["rule"] and held["findings"][0]["message"]
    only = client.post("/api/scrub?select=MOD", json=json.loads(EXAMPLES.read_text()), headers=auth)
    assert {f["rule"][:3] for c in only.json()["claims"] for f in c["findings"]} <= {"MOD"}
    claim = json.loads(EXAMPLES.read_text())[0]
    claim["lines"][0]["minutes"] = "lots"
    bad = client.post("/api/scrub", json=claim, headers=auth)
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert problem["claim"] == claim["claim_id"] and problem["field"] == "lines[1].minutes"
    typo = client.post("/api/scrub?select=ZZZ", json=claim, headers=auth)
    assert typo.status_code == 422 and "ZZZ" in typo.json()["detail"]


def test_therapist_records_a_visit_with_computed_units(app, client):
    auth = make_token(app, client, "rcole")
    with app.state.db.session() as session:
        medicare = session.scalar(select(PayerRow.id).where(PayerRow.profile == "medicare"))
        coverage = session.scalars(
            select(CoverageRow).where(CoverageRow.payer_id == medicare)
        ).first()
    visit = {
        "patient_id": coverage.patient_id, "coverage_id": coverage.id, "date": "2025-04-01",
        "services": [{"code": "97110", "minutes": 38}, {"code": "97140", "minutes": 9}],
        "note_type": "daily",
    }  # fmt: skip
    made = client.post("/api/visits", json=visit, headers=auth)
    assert made.status_code == 201, made.text
    units = {s["code"]: s["units"] for s in made.json()["services"]}
    assert units == {"97110": 2, "97140": 1} and made.json()["note_signed"] is False
    other = client.post("/api/visits", json={**visit, "provider_id": 999}, headers=auth)
    assert other.status_code == 403
    biller = make_token(app, client, "biller")
    assert client.post("/api/visits", json=visit, headers=biller).status_code == 403
    bad = client.post("/api/visits", json={**visit, "coverage_id": 999999}, headers=auth)
    assert bad.status_code == 404


def test_remittance_upload_posts_and_lists(app, client):
    auth = make_token(app, client, "biller")
    assert client.get("/api/remittances", headers=auth).json()["items"] == []
    sent = send_claims(app, 2)
    data = make_835([(sent[0], True), (sent[1], False)])
    posted = client.post("/api/remittances?name=era.835", content=data, headers=auth)
    assert posted.status_code == 200, posted.text
    report = posted.json()
    assert (report["paid"], report["denied"], report["already_posted"]) == (1, 1, False)
    again = client.post("/api/remittances", content=data, headers=auth).json()
    assert again["already_posted"] is True
    [remittance] = client.get("/api/remittances", headers=auth).json()["items"]
    assert remittance["trace_number"] == "EFT777" and remittance["paid_on"] == "2025-03-25"
    broken = client.post("/api/remittances", content=b"ISA*not an 835", headers=auth)
    assert broken.status_code == 422


def test_openapi_lists_the_endpoints(client):
    log_in(client, "biller")
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in ("/api/claims", "/api/claims/{claim}", "/api/scrub", "/api/visits",
                 "/api/remittances"):  # fmt: skip
        assert path in paths, path
    assert "post" in paths["/api/visits"] and "post" in paths["/api/remittances"]
    assert "ClaimPage" in document["components"]["schemas"]
    assert not any(p in paths for p in ("/dashboard", "/admin", "/audit"))
