"""POST /api/authorizations/{id}/request-278: the payer's answer applied and returned; a status
that cannot be asked is 422, a payer that cannot be asked is 502 (nothing kept), a therapist 403."""

from __future__ import annotations

import datetime as dt

from otbill.clearinghouse.transport import TransportError
from otbill.services.frontdesk import patients
from otbill.services.frontdesk.authorizations import open_authorization
from support.webkit import log_in, patient_of, token


class _Down:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("no answer within 30 s")


def _requested(app, member_id: str) -> int:
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        payer = uow.patients.coverages([patient])[0].payer_id
        coverage = patients.add_coverage(
            uow, patient_id=patient, payer_id=payer, member_id=member_id, priority=3,
            effective_from=dt.date(2024, 1, 1),
        )  # fmt: skip
        return open_authorization(
            uow, coverage_id=coverage, number=f"REQ-{member_id}", start=dt.date(2025, 5, 1),
            end=dt.date(2025, 6, 30), codes=["97530", "97110"], visits_authorized=30,
        )  # fmt: skip


def _session(client, username: str = "biller") -> dict[str, str]:
    log_in(client, username)
    return {"X-CSRF-Token": token(client)}


def test_an_approval_in_part_is_applied_and_returned(app, client):
    auth = _requested(app, "API903")
    headers = _session(client)
    answer = client.post(f"/api/authorizations/{auth}/request-278", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["decision"] == "partially-approved" and body["follow_up_on"] is None
    assert body["certification_number"].startswith("AUTH") and body["trace"].startswith("OTA")
    assert "approved in part" in body["message"]
    assert "Reason: more was asked than the plan authorizes" in body["lines"]
    shown = body["authorization"]
    assert (shown["status"], shown["number"]) == (
        "partially-approved",
        body["certification_number"],
    )
    # two thirds of the 30 asked on 97530's line (the simulated plan's 24 leave 4 for 97110)
    assert shown["visits_authorized"] == 20
    # the opening request (written outside the run day) and our 278's request, reply and status
    kinds = sorted(e["kind"] for e in shown["entries"])
    assert kinds == ["reply", "request", "request", "status"]
    again = client.post(f"/api/authorizations/{auth}/request-278", headers=headers)
    assert again.status_code == 422
    assert "is partially approved: only a requested or pending" in again.json()["detail"]


def test_pended_returns_the_follow_up(app, client):
    auth = _requested(app, "API906")
    headers = _session(client)
    body = client.post(f"/api/authorizations/{auth}/request-278", headers=headers).json()
    assert (body["decision"], body["authorization"]["status"]) == ("pended", "pending")
    assert body["follow_up_on"] == body["authorization"]["follow_up"]
    pending = client.get("/api/authorizations/queue", headers=headers).json()["pending"]
    assert "REQ-API906" in [a["number"] for a in pending]


def test_a_payer_that_cannot_be_asked_is_502_and_roles(app, client):
    auth = _requested(app, "API900")
    app.state.prior_auth_transport = _Down()
    headers = _session(client)
    failed = client.post(f"/api/authorizations/{auth}/request-278", headers=headers)
    assert failed.status_code == 502
    assert "the payer could not be asked: no answer within 30 s" in failed.text
    shown = client.get(f"/api/authorizations/{auth}", headers=headers).json()
    assert shown["status"] == "requested" and len(shown["entries"]) == 1
    assert client.post("/api/authorizations/999999/request-278", headers=headers).status_code == 404
    client.cookies.clear()
    therapist = _session(client, "rcole")
    refused = client.post(f"/api/authorizations/{auth}/request-278", headers=therapist)
    assert refused.status_code == 403
