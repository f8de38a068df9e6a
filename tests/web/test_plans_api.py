"""The JSON API's plans of care: a physician, a referral, a plan, the queue, the PDF, the
signature, recertification; bad input, roles and the schema."""

from __future__ import annotations

from support.clinickit import make_npi
from support.webkit import log_in, patient_of, token


def _session(client, username: str) -> dict[str, str]:
    client.cookies.clear()
    log_in(client, username)
    return {"X-CSRF-Token": token(client)}


def test_physician_referral_plan_signature_and_queue(app, client):
    patient = patient_of(app)
    headers = _session(client, "rcole")
    doctor = {"first_name": "Sam", "last_name": "Ng", "npi": make_npi(888), "fax": "5125550100"}
    made = client.post("/api/physicians", json=doctor, headers=headers)
    assert made.status_code == 201, made.text
    physician = made.json()["id"]
    referral = {"physician_id": physician, "referred_on": "2025-03-20", "diagnoses": ["M62.81"]}
    referred = client.post(f"/api/patients/{patient}/referrals", json=referral, headers=headers)
    assert referred.status_code == 201 and referred.json()["diagnoses"] == ["M62.81"]
    plan = {"patient_id": patient, "physician_id": physician, "start": "2025-01-10",
            "diagnoses": ["M62.81"], "goals": "Dress independently", "frequency_per_week": 2,
            "duration_weeks": 8, "referral_id": referred.json()["id"]}  # fmt: skip
    written = client.post("/api/plans", json=plan, headers=headers)
    assert written.status_code == 201, written.text
    plan_id = written.json()["plan_id"]
    fixed = client.put(f"/api/plans/{plan_id}", json=plan | {"goals": "Bathe"}, headers=headers)
    assert fixed.status_code == 200 and fixed.json()["goals"] == "Bathe"
    moved = client.put(f"/api/physicians/{physician}", json=doctor | {"fax": "5125550199"},
                       headers=headers)  # fmt: skip
    assert moved.status_code == 200 and moved.json()["fax"] == "5125550199"
    assert written.json()["state"] == "signature late"  # 2025-01-10 + 30 days < 2025-04-01
    headers = _session(client, "biller")
    queue = client.get("/api/plans/queue", headers=headers).json()
    assert plan_id in [line["plan_id"] for line in queue]
    pdf = client.get(f"/api/plans/{plan_id}/request.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    late = {"received_on": "2025-03-01"}
    refused = client.post(f"/api/plans/{plan_id}/signature", json=late, headers=headers)
    assert refused.status_code == 422 and refused.json()["detail"].startswith("delay reason:")
    late["delay_reason"] = "physician away"
    signed = client.post(f"/api/plans/{plan_id}/signature", json=late, headers=headers)
    assert signed.status_code == 200, signed.text
    assert (signed.json()["certified_on"], signed.json()["delay_reason"]) == (
        "2025-03-01", "physician away")  # fmt: skip
    queue = client.get("/api/plans/queue", headers=headers).json()
    states = {line["plan_id"]: line["state"] for line in queue}
    assert states[plan_id] == "recertification due"  # 2025-04-09, within 14 days of 04-01
    headers = _session(client, "rcole")
    renewed = client.post(f"/api/plans/{plan_id}/recertification", json={}, headers=headers)
    assert renewed.status_code == 201 and renewed.json()["recertifies_id"] == plan_id
    assert renewed.json()["start"] == "2025-04-10"
    queue = client.get("/api/plans/queue", headers=headers).json()
    states = {line["plan_id"]: line["state"] for line in queue}
    assert plan_id not in states and states[renewed.json()["plan_id"]] == "awaiting signature"


def test_bad_input_roles_and_schema(app, client):
    headers = _session(client, "biller")
    bad = {"first_name": "A", "last_name": "B", "npi": "1234567890"}
    answer = client.post("/api/physicians", json=bad, headers=headers)
    assert answer.status_code == 422 and "check digit" in answer.json()["detail"]
    plan = {"patient_id": patient_of(app), "physician_id": 1, "start": "2025-03-01",
            "diagnoses": ["M62.81"], "goals": "g", "frequency_per_week": 2, "duration_weeks": 8}  # fmt: skip
    assert client.post("/api/plans", json=plan, headers=headers).status_code == 403
    assert client.get("/api/plans/999999", headers=headers).status_code == 404
    schema = client.get("/api/openapi.json", headers=headers).json()
    assert "/api/plans/{plan_id}/signature" in schema["paths"]
    assert {"PlanOut", "PlanIn", "PhysicianIn"} <= set(schema["components"]["schemas"])
    headers = _session(client, "approver")  # an auditor reads only
    assert client.get("/api/plans/queue", headers=headers).status_code == 200
    assert client.post("/api/physicians", json=bad, headers=headers).status_code == 403
