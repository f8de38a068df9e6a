"""The JSON API's schedule: book a series (warnings in the answer), a double booking refused,
list, read with warnings, check in twice (one visit), cancel the rest, bounds, the OpenAPI."""

from __future__ import annotations

import datetime as dt

from support.webkit import log_in, patient_of, provider_of, token


def _session(client, username: str = "biller") -> dict[str, str]:
    log_in(client, username)
    return {"X-CSRF-Token": token(client)}


def test_book_list_check_in_cancel(app, client):
    headers = _session(client)
    body = {"patient_id": patient_of(app), "provider_id": provider_of(app, "rcole").id,
            "date": "2025-04-07", "start": "11:00", "minutes": 45, "weekdays": [0, 3],
            "weeks": 2}  # fmt: skip
    made = client.post("/api/appointments", json=body, headers=headers)
    assert made.status_code == 201, made.text
    ids = made.json()["appointment_ids"]
    assert len(ids) == 4 and isinstance(made.json()["warnings"], list)
    clash = client.post("/api/appointments", json={**body, "start": "11:30", "weekdays": []},
                        headers=headers)  # fmt: skip
    assert clash.status_code == 422 and "already booked 11:00–11:45" in clash.json()["detail"]
    too_long = client.post("/api/appointments", json={**body, "minutes": 600}, headers=headers)
    assert too_long.status_code == 422
    listed = client.get("/api/appointments?first=2025-04-07&last=2025-04-13", headers=headers)
    assert [a["id"] for a in listed.json()] == ids[:2]
    shown = client.get(f"/api/appointments/{ids[0]}", headers=headers).json()
    assert shown["status"] == "booked" and isinstance(shown["warnings"], list)
    early = client.post(f"/api/appointments/{ids[0]}/check-in", headers=headers)
    assert early.status_code == 422 and early.json()["detail"].startswith("date: 2025-04-07")
    app.state.today = dt.date(2025, 4, 7)  # the patient arrives on the appointment's day
    first = client.post(f"/api/appointments/{ids[0]}/check-in", headers=headers).json()
    again = client.post(f"/api/appointments/{ids[0]}/check-in", headers=headers).json()
    assert (again["visit_id"], again["already"]) == (first["visit_id"], True)
    cancelled = client.post(f"/api/appointments/{ids[1]}/cancel", json={"rest_of_series": True},
                            headers=headers)  # fmt: skip
    assert cancelled.json() == {"cancelled": 3}
    paths = client.get("/api/openapi.json", headers=headers).json()["paths"]
    assert "/api/appointments" in paths and "/api/appointments/{appointment_id}/check-in" in paths


def test_a_therapist_reads_only_their_own_and_books_nothing(app, client):
    headers = _session(client)
    rcole, other = provider_of(app, "rcole").id, provider_of(app, "mpatel").id
    for provider, start in ((rcole, "08:00"), (other, "08:00")):
        body = {"patient_id": patient_of(app), "provider_id": provider, "date": "2025-04-08",
                "start": start, "minutes": 30}  # fmt: skip
        assert client.post("/api/appointments", json=body, headers=headers).status_code == 201
    client.post("/logout", data={"csrf_token": token(client)})
    headers = _session(client, "rcole")
    listed = client.get("/api/appointments?first=2025-04-08", headers=headers).json()
    assert [a["provider_id"] for a in listed] == [rcole]
    body = {"patient_id": patient_of(app), "provider_id": rcole, "date": "2025-04-09",
            "start": "08:00", "minutes": 30}  # fmt: skip
    assert client.post("/api/appointments", json=body, headers=headers).status_code == 403
