"""Pages for a self-pay patient with no insurance (issue 13): registered as self-pay, booked with
no coverage error, checked in, the visit page says Self-pay, documented and signed, charged by
Build claims, the prompt-pay discount, a card payment, and nothing owed."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from otbill.services.payments.standing import standing
from otbill.storage.tables import PatientRow
from support.jobpages import job_page_after
from support.webkit import log_in, provider_of, record_daily_visit, token

PATIENT = {"first_name": "Cass", "last_name": "Cashman", "dob": "1980-05-06", "sex": "F",
           "address_line1": "4 Pine St", "city": "Austin", "state": "TX", "zip": "78702",
           "guarantor": "self", "consent_on": "2025-03-30", "self_pay": "on"}  # fmt: skip
NOTE = {"current_status": "Min assist for dressing", "goals": "Dress alone in 6 weeks",
        "response_to_treatment": "Tolerated well", "medical_necessity": "Skilled grading",
        "total_treatment_minutes": "40", "note_type": "daily", "place_of_service": "11"}  # fmt: skip


def _post(client, path: str, page: str, **data: str):
    return client.post(path, data={"csrf_token": token(client, page), **data},
                       follow_redirects=False)  # fmt: skip


def _charges(app, patient: int) -> list[tuple[str, Decimal]]:
    with app.state.db.unit_of_work(1) as uow:
        return [(e.kind, e.amount) for e in uow.patient_account.of_patients([patient])]


def test_a_cash_patient_is_booked_checked_in_seen_charged_and_pays(app, client):
    log_in(client, "admin")
    ok = _post(client, "/admin/self-pay/prompt-pay", "/rules", percent_off="10",
               effective_from="2025-01-01")  # fmt: skip
    assert ok.status_code == 303
    client.cookies.clear()
    log_in(client, "biller")
    registered = _post(client, "/patients", "/patients/new", **PATIENT)
    assert registered.status_code == 303, registered.text
    patient = int(re.search(r"/patients/(\d+)", registered.headers["location"]).group(1))
    booked = _post(client, "/schedule/book", "/schedule/book", patient=str(patient),
                   provider=str(provider_of(app, "rcole").id), date="2025-04-01", start="10:00",
                   minutes="45", visit_type="daily")  # fmt: skip
    assert booked.status_code == 303, booked.text
    appointment = booked.headers["location"].split("?")[0]
    page = unescape(client.get(booked.headers["location"]).text)
    assert "Self-pay: no insurance on file" in page and "No active coverage" not in page
    done = _post(client, f"{appointment}/check-in", appointment)
    assert done.headers["location"].endswith("?done=checked-in"), done.text
    visit = re.search(r'href="/visits/(\d+)"', client.get(done.headers["location"]).text)
    assert visit
    client.cookies.clear()

    therapist = log_in(client, "rcole")
    assert "Self-pay" in therapist.get("/therapist?day=2025-04-01").text
    page = therapist.get(f"/visits/{visit.group(1)}").text
    assert '<span data-testid="payer">Self-pay</span>' in page and "per-code" in page
    document = {"csrf_token": token(therapist, "/therapist"), "code_0": "97530",
                "minutes_0": "40", **NOTE}  # fmt: skip
    signed = therapist.post(f"/visits/{visit.group(1)}/sign", data=document)
    assert signed.status_code == 200 and "Note signed" in signed.text
    client.cookies.clear()

    log_in(client, "biller")
    built = job_page_after(app, client, "/queues/build-claims", token(client, "/queues"))
    assert "1 self-pay visit(s) charged to the patient&#39;s account" in built.text
    ((kind, charged),) = _charges(app, patient)
    assert kind == "self-pay-charge" and charged > 0  # 97530 × 3 at the price list
    prompt = _post(client, f"/patients/{patient}/self-pay/visits/{visit.group(1)}/prompt-pay",
                   f"/patients/{patient}/self-pay")  # fmt: skip
    assert prompt.status_code == 303
    due = charged - (charged / 10).quantize(Decimal("0.01"))
    paid = _post(client, f"/patients/{patient}/payments", f"/patients/{patient}/payments",
                 amount=f"{due:.2f}", method="card", reference="AUTH-7781", last4="4242",
                 visit=visit.group(1))  # fmt: skip
    assert paid.status_code == 303, unescape(paid.text)
    with app.state.db.unit_of_work(1) as uow:
        assert standing(uow, patient).total == 0  # owes $0
    page = unescape(client.get(f"/patients/{patient}/self-pay").text)
    assert "prompt pay 10% off (paid at the visit" in page


def test_the_therapist_records_a_visit_of_a_cash_patient_but_not_of_an_uninsured_one(app, client):
    log_in(client, "biller")
    registered = _post(client, "/patients", "/patients/new", **PATIENT)
    patient = int(re.search(r"/patients/(\d+)", registered.headers["location"]).group(1))
    client.cookies.clear()
    therapist = log_in(client, "rcole")
    preview = therapist.post("/visits/new/units-preview", headers={"HX-Request": "1"},
                             data={"csrf_token": token(therapist, "/therapist"),
                                   "patient": str(patient), "date": "2025-03-31",
                                   "code_0": "97110", "minutes_0": "10", "code_1": "97530",
                                   "minutes_1": "10"})  # fmt: skip
    assert "Self-pay" in preview.text  # the units under CPT's per-code rule: one unit each
    assert 'data-testid="units-total">2</td>' in preview.text  # CMS pooling would give 1
    visit = record_daily_visit(therapist, patient)
    with app.state.db.unit_of_work(1) as uow:
        assert uow.visits.get(visit).coverage_id is None
    with app.state.db.session() as session, session.begin():
        session.get_one(PatientRow, patient).self_pay = False  # now neither insured nor self-pay
    data = {"csrf_token": token(therapist, "/therapist"), "patient": str(patient),
            "date": "2025-03-31", "place_of_service": "11", "note_type": "daily",
            "code_0": "97110", "minutes_0": "38"}  # fmt: skip
    refused = therapist.post("/visits/new", data=data, follow_redirects=False)
    assert refused.status_code == 422
    assert "Patient: no insurance coverage in force on 2025-03-31." in unescape(refused.text)
