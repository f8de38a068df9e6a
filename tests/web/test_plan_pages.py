"""Plan-of-care pages: physicians, a referral, a plan written by the therapist, the queue, the
printed request, the signature date; roles and bad input."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from otbill.storage.tables import NoteRow, PatientRow, VisitRow
from support.clinickit import make_npi
from support.webkit import log_in, patient_of, provider_of, token


def _physician(client) -> str:
    data = {"csrf_token": token(client), "first_name": "Sam", "last_name": "Ng",
            "npi": make_npi(777), "fax": "512-555-0100"}  # fmt: skip
    bad = client.post("/plans/physicians", data=data | {"npi": "1234567890"})
    assert bad.status_code == 422 and "physician NPI" in bad.text and "check digit" in bad.text
    assert 'value="Sam"' in bad.text  # the form as typed
    added = client.post("/plans/physicians", data=data, follow_redirects=False)
    assert added.status_code == 303
    page = client.get("/plans/physicians?q=ng").text
    assert make_npi(777) in page and "512-555-0100" in page
    match = re.search(r'<option value="(\d+)">Sam Ng', client.get("/plans/from-visit/1").text)
    assert match
    return match.group(1)


def _last_name(app, patient: int) -> str:
    with app.state.db.unit_of_work(1) as uow:
        return str(uow.records.get(PatientRow, patient).last_name)


def test_referral_plan_queue_pdf_and_signature(app, client):
    patient = patient_of(app)
    log_in(client, "rcole")  # a therapist
    physician = _physician(client)
    csrf = token(client)
    referral = {"csrf_token": csrf, "physician_id": physician, "referred_on": "2025-03-20",
                "diagnoses": "M62.81, R26.89"}  # fmt: skip
    assert client.post(f"/plans/patient/{patient}/referrals", data=referral,
                       follow_redirects=False).status_code == 303  # fmt: skip
    plan = {"csrf_token": csrf, "physician_id": physician, "start": "2025-03-25",
            "diagnoses": "M62.81", "goals": "Dress independently", "frequency_per_week": "2",
            "duration_weeks": "9"}  # fmt: skip
    bad = client.post(f"/plans/patient/{patient}", data=plan | {"frequency_per_week": "12"})
    assert bad.status_code == 422 and "frequency per week 12: must be between 1 and 7" in bad.text
    written = client.post(f"/plans/patient/{patient}", data=plan, follow_redirects=False)
    assert written.status_code == 303
    plan_id = int(re.fullmatch(r"/plans/(\d+)\?done=written", written.headers["location"])[1])
    assert "M62.81, R26.89" in client.get(f"/plans/patient/{patient}").text
    change = plan | {"goals": "Dress and bathe independently", "duration_weeks": "10"}
    changed = client.post(f"/plans/{plan_id}/change", data=change, follow_redirects=False)
    assert changed.status_code == 303
    page = client.get(f"/plans/{plan_id}").text
    assert "Dress and bathe independently" in page and "for 10 weeks" in page
    bad = client.post(f"/plans/{plan_id}/change", data=change | {"diagnoses": "M62"})
    assert bad.status_code == 422 and "header code" in bad.text
    assert (
        f'href="/plans/patient/{patient}"'
        in client.get(f"/plans?q={_last_name(app, patient)}").text
    )
    client.cookies.clear()
    log_in(client, "biller")
    waiting = client.get("/plans").text.split('id="recert-due"')[0]
    assert f'data-plan="{plan_id}"' in waiting and "Sam Ng" in waiting
    pdf = client.get(f"/plans/{plan_id}/request.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Dress and bathe independently" in text and "2 visits per week" in text
    assert "10 weeks" in text
    sign = {"csrf_token": token(client), "received_on": "2025-03-28"}
    future = client.post(f"/plans/{plan_id}/signature", data=sign | {"received_on": "2025-05-01"})
    assert future.status_code == 422 and "is in the future" in future.text
    assert client.post(f"/plans/{plan_id}/signature", data=sign,
                       follow_redirects=False).status_code == 303  # fmt: skip
    assert "2025-03-28" in client.get(f"/plans/{plan_id}?done=signed").text
    assert f'data-plan="{plan_id}"' not in client.get("/plans").text


def test_roles_and_missing_records(app, client):
    assert client.get("/plans", follow_redirects=False).status_code in (303, 401)
    log_in(client, "biller")
    assert client.get("/plans").status_code == 200
    assert client.get("/plans/999999").status_code == 404
    assert client.get("/plans/999999/request.pdf").status_code == 404
    plan = {"csrf_token": token(client), "physician_id": "1", "start": "2025-03-25"}
    patient = patient_of(app)
    assert client.post(f"/plans/patient/{patient}", data=plan).status_code == 403  # therapists
    client.cookies.clear()
    log_in(client, "approver")  # an auditor reads
    assert client.get("/plans").status_code == 200
    assert client.post("/plans/physicians", data={"csrf_token": token(client)}).status_code == 403


def test_a_signed_evaluation_offers_to_start_the_plan(app, client):
    provider = provider_of(app, "rcole")
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        visit = next(
            v.id
            for v in uow.records.find(VisitRow, VisitRow.provider_id == provider.id)
            if (n := uow.records.first(NoteRow, NoteRow.visit_id == v.id))
            and n.note_type == "evaluation" and n.signed_at is not None
        )  # fmt: skip
    log_in(client, "rcole")
    physician = _physician(client)
    assert f'href="/plans/from-visit/{visit}"' in client.get(f"/visits/{visit}").text
    data = {"csrf_token": token(client), "physician_id": physician, "diagnoses": "M62.81"}
    response = client.post(f"/plans/from-visit/{visit}", data=data)
    assert response.status_code == 422  # the demo's evaluation states no visits per week
    assert "does not state a frequency and duration" in response.text


def test_a_physician_is_corrected_on_their_page(client):
    log_in(client, "rcole")  # a therapist adds, a biller corrects
    _physician(client)
    client.cookies.clear()
    log_in(client, "biller")
    link = re.search(
        r'href="/plans/physicians/(\d+)">Ng, Sam<', client.get("/plans/physicians").text
    )
    assert link
    physician = link.group(1)
    page = client.get(f"/plans/physicians/{physician}").text
    assert 'value="512-555-0100"' in page and "Correct this physician" in page
    data = {"csrf_token": token(client), "first_name": "Samantha", "last_name": "Ng",
            "npi": make_npi(777), "fax": "512-555-0199"}  # fmt: skip
    bad = client.post(f"/plans/physicians/{physician}", data=data | {"npi": "12345"})
    assert bad.status_code == 422 and "physician NPI" in bad.text and 'value="Samantha"' in bad.text
    done = client.post(f"/plans/physicians/{physician}", data=data, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (
        303, "/plans/physicians?done=physician-changed")  # fmt: skip
    listed = client.get("/plans/physicians?q=ng&done=physician-changed").text
    assert "Physician corrected." in listed and "512-555-0199" in listed and "Samantha" in listed
    assert client.get("/plans/physicians/999999").status_code == 404
    assert client.post("/plans/physicians/999999", data=data).status_code == 404
    client.cookies.clear()
    log_in(client, "approver")  # an auditor reads, and cannot change
    assert "Correct this physician" not in client.get(f"/plans/physicians/{physician}").text
    assert client.post(f"/plans/physicians/{physician}", data=data).status_code == 403
