"""The clinic-setup API: providers, payers, fees, locations and overhead, checked as the pages are."""

from __future__ import annotations

from support.webkit import log_in, token


def _admin(client) -> dict[str, str]:
    log_in(client, "admin")
    return {"X-CSRF-Token": token(client, "/admin/setup")}


def test_providers_through_the_api(client):
    headers = _admin(client)
    ada = {"npi": "1245319599", "first_name": "Ada", "last_name": "Ng", "credential": "OTR/L",
           "hired_on": "2025-01-06"}  # fmt: skip
    made = client.post("/api/clinic/providers", json=ada, headers=headers)
    assert made.status_code == 201 and made.json()["id"] > 0
    ada_id = made.json()["id"]
    cota = {**ada, "npi": "1003000126", "first_name": "Cy", "credential": "COTA"}
    refused = client.post("/api/clinic/providers", json=cota, headers=headers)
    assert refused.status_code == 422 and "supervising therapist" in refused.json()["detail"]
    assert client.post("/api/clinic/providers", json={**cota, "supervisor_id": ada_id},
                       headers=headers).status_code == 201  # fmt: skip
    changed = client.put(f"/api/clinic/providers/{ada_id}",
                         json={**ada, "terminated_on": "2025-06-30"}, headers=headers)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["terminated_on"] == "2025-06-30"
    backwards = client.put(f"/api/clinic/providers/{ada_id}",
                           json={**ada, "terminated_on": "2024-06-30"}, headers=headers)  # fmt: skip
    assert backwards.status_code == 422 and "before the start date" in backwards.json()["detail"]
    assert client.get("/api/clinic/providers/999999").status_code == 404
    names = [p["last_name"] for p in client.get("/api/clinic/providers").json()]
    assert names.count("Ng") == 2


def test_payers_fees_locations_and_overhead_through_the_api(client):
    headers = _admin(client)
    payer = {"payer_code": "55555", "name": "Ocean PPO", "profile": "medicare",
             "timely_filing_days": 180,
             "claim_address": {"line1": "PO Box 9", "city": "Miami", "state": "FL",
                               "zip": "33101"}}  # fmt: skip
    made = client.post("/api/clinic/payers", json=payer, headers=headers)
    assert made.status_code == 201 and made.json()["claim_address"]["city"] == "Miami"
    unknown = client.post("/api/clinic/payers", json={**payer, "payer_code": "6", "profile": "x"},
                          headers=headers)  # fmt: skip
    assert unknown.status_code == 422 and "payer profile" in unknown.json()["detail"]
    fee = {"code": "97110", "year": 2025, "contracted_rate": "30.10", "charge": "60",
           "payer_id": made.json()["id"]}  # fmt: skip
    assert client.post("/api/clinic/fees", json=fee, headers=headers).status_code == 201
    rows = [r for r in client.get("/api/clinic/fees").json() if r["payer"] == "Ocean PPO"]
    assert rows and rows[0]["contracted_rate"] in ("30.10", "30.1", 30.1)
    place = {"name": "Pool", "address": {"line1": "1 A", "city": "Austin", "state": "TX",
             "zip": "78701"}, "place_of_service": "11"}  # fmt: skip
    pool = client.post("/api/clinic/locations", json=place, headers=headers)
    assert pool.status_code == 201
    off = client.patch(f"/api/clinic/locations/{pool.json()['id']}", json={"active": False},
                       headers=headers)  # fmt: skip
    assert off.status_code == 200 and off.json()["active"] is False
    assert client.patch("/api/clinic/locations/999999", json={"active": False},
                        headers=headers).status_code == 404  # fmt: skip
    entry = {"month": "2025-02", "category": "software", "amount": "300"}
    assert client.post("/api/clinic/overhead", json=entry, headers=headers).status_code == 201


def test_setup_api_roles_and_openapi(client):
    log_in(client, "biller")
    headers = {"X-CSRF-Token": token(client, "/queues")}
    assert client.get("/api/clinic/payers").status_code == 200
    assert client.post("/api/clinic/overhead", json={}, headers=headers).status_code == 403
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/clinic/providers", "/api/clinic/payers", "/api/clinic/fees",
                 "/api/clinic/locations", "/api/clinic/overhead"):  # fmt: skip
        assert path in paths, path
