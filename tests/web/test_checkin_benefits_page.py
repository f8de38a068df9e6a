"""The appointment page (booking and check-in) says the copay to collect and the visits left,
from the 271 the patient page's "Check eligibility now" kept."""

from __future__ import annotations

from support.webkit import log_in, provider_of, token


def _commercial_patient(app) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """A patient whose primary coverage the simulator answers with full therapy benefits (member
    IDs ending 0-2), and that coverage's id and payer name."""
    with app.state.db.unit_of_work(1) as uow:
        for coverage in uow.patients.coverages(None):
            payer = uow.payers.get(coverage.payer_id)
            if coverage.priority == 1 and coverage.effective_to is None and \
                    payer.profile != "medicare" and coverage.member_id[-1:] in "012":  # fmt: skip
                return coverage.patient_id, coverage.id, payer.name
    raise AssertionError("the demo has no commercial patient with full therapy benefits")


def test_the_appointment_page_says_the_copay_and_visits_left(app, client):
    patient, coverage, payer = _commercial_patient(app)
    log_in(client, "biller")
    asked = client.post(f"/coverages/{coverage}/eligibility/run",
                        data={"csrf_token": token(client, f"/patients/{patient}")})  # fmt: skip
    assert asked.status_code == 200 and "The payer answered" in asked.text
    with app.state.db.unit_of_work(1) as uow:
        check = uow.eligibility.latest(coverage)
    assert check is not None and check.active is True
    summary = check.benefits["summary"]
    body = {"patient_id": patient, "provider_id": provider_of(app, "rcole").id,
            "date": "2025-04-21", "start": "07:00", "minutes": 30, "coverage_id": coverage}  # fmt: skip
    made = client.post("/api/appointments", json=body, headers={"X-CSRF-Token": token(client)})
    assert made.status_code == 201, made.text
    page = client.get(f"/schedule/appointments/{made.json()['appointment_ids'][0]}").text
    said = f"per {payer}&#39;s eligibility answer of {check.checked_on}"
    assert f"Copay due ${summary['copay']['in_network']} in network" in page
    assert (f"Visits left: {summary['visits_remaining']} of {summary['visit_limit']}, {said}."
            in page)  # fmt: skip
