"""The patient page's Superbill PDF (with its date range) and Good Faith Estimate PDF links."""

from __future__ import annotations

import datetime as dt

from otbill.services.frontdesk import patients
from otbill.services.frontdesk.patient_documents import superbill
from support.pdftext import pdf_text
from support.webkit import log_in, patient_of


def test_superbill_pdf_from_the_patient_page(app, client):
    patient = patient_of(app)
    log_in(client, "biller")
    page = client.get(f"/patients/{patient}").text
    assert 'data-testid="superbill-form"' in page and "Superbill PDF" in page
    response = client.get(f"/patients/{patient}/superbill.pdf?from=2025-01-01&to=2025-03-31")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    with app.state.db.unit_of_work(1) as uow:
        bill = superbill(uow, patient, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
        clinic = uow.clinics.identity()
    assert bill.lines, "the demo patient has visits in the first quarter"
    text = pdf_text(response.content)
    assert clinic.npi in text and f"{clinic.tax_id[:2]}-{clinic.tax_id[2:]}" in text
    assert f"Total charges ${bill.total_charges:,}" in text
    assert f"Paid ${bill.total_paid:,}" in text
    assert bill.lines[0].code in text and bill.diagnoses[0][0] in text


def test_good_faith_estimate_offered_for_a_plan_or_self_pay_only(app, client):
    patient = patient_of(app)
    with app.state.db.unit_of_work(1) as uow:
        has_plan = bool(uow.plans.of_patient(patient))
        newcomer = patients.add_patient(uow, mrn="GFE-1", first_name="Nia", last_name="Park",
                                        dob=dt.date(1990, 1, 2), sex="F")  # fmt: skip
    log_in(client, "biller")
    assert has_plan and 'data-testid="gfe-form"' in client.get(f"/patients/{patient}").text
    assert 'data-testid="gfe-form"' not in client.get(f"/patients/{newcomer}").text
    response = client.get(f"/patients/{patient}/good-faith-estimate.pdf")
    assert response.status_code == 200, response.text
    text = pdf_text(response.content)
    assert "Good Faith Estimate" in text and "Date issued: 2025-04-01" in text
    assert "at least $400 more" in text and "Total expected charges" in text
    given = client.get(f"/patients/{newcomer}/good-faith-estimate.pdf?services=97530x2&visits=6")
    assert given.status_code == 200
    assert "$840.00" in pdf_text(given.content)  # the demo's 97530 at $70.00, 2 units, 6 visits


def test_bad_input_is_a_page_in_words_and_other_roles_are_refused(app, client):
    patient = patient_of(app)
    log_in(client, "biller")
    backwards = client.get(f"/patients/{patient}/superbill.pdf?from=2025-03-01&to=2025-02-01")
    assert backwards.status_code == 422 and "before from" in backwards.text
    typo = client.get(f"/patients/{patient}/superbill.pdf?from=2025-13-01&to=2025-02-01")
    assert typo.status_code == 422 and "from" in typo.text and "YYYY-MM-DD" in typo.text
    no_price = client.get(f"/patients/{patient}/good-faith-estimate.pdf?services=97533&visits=2")
    assert no_price.status_code == 422 and "97533: no price" in no_price.text
    assert client.get("/patients/999999/superbill.pdf").status_code == 404
    log_in(client, "rcole")
    assert client.get(f"/patients/{patient}/superbill.pdf").status_code == 403
