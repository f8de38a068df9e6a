"""Issue 11 item 9: entry plausibility — MUE and implausible minutes said at entry, merged rows
named, a visit dated in the future refused everywhere, and claim building never silent."""

from __future__ import annotations

import re

from sqlalchemy import select

from otbill import clock
from otbill.services.visits.record import Service, record_visit
from otbill.storage.tables import CoverageRow, PayerRow, VisitRow
from support.jobpages import job_page_after
from support.webkit import log_in, patient_of, provider_of, token


def _form(client, rows, *, patient, day="2025-03-31"):
    data = {"csrf_token": token(client, "/therapist"), "patient": str(patient), "date": day,
            "place_of_service": "11", "note_type": "daily"}  # fmt: skip
    for i, (code, minutes) in enumerate(rows):
        data[f"code_{i}"], data[f"minutes_{i}"] = code, str(minutes)
    return data


def _entry(html: str) -> str:
    found = re.search(r'data-testid="entry-warnings".*?</ul>', html, re.S)
    return found[0] if found else ""


def test_500_minutes_of_97110_are_questioned_while_typing(app, client):
    log_in(client, "rcole")
    data = _form(client, [("97110", 500)], patient=patient_of(app))
    partial = client.post("/visits/new/units-preview", data=data, headers={"HX-Request": "1"})
    said = _entry(partial.text)
    assert "97110: 500 minutes come to 33 units" in said and "MUE" in said


def test_hours_of_one_timed_code_are_questioned_where_no_mue_applies(app, client):
    log_in(client, "rcole")
    patient = patient_of(app, profile="commercial-in-network")
    partial = client.post("/visits/new/units-preview", headers={"HX-Request": "1"},
                          data=_form(client, [("97530", 150)], patient=patient))  # fmt: skip
    assert "97530: 150 minutes of one service in a day is more than 2 hours" in _entry(partial.text)


def test_two_rows_of_one_code_are_said_to_merge(app, client):
    log_in(client, "rcole")
    rows = [("97110", 20), ("97530", 15), ("97110", 18)]
    data = _form(client, rows, patient=patient_of(app))
    partial = client.post("/visits/new/units-preview", data=data, headers={"HX-Request": "1"})
    assert "Two rows of 97110 were merged into one: 38 minutes." in _entry(partial.text)
    made = client.post("/visits/new", data=_form(client, rows, patient=patient_of(app)))
    assert made.status_code == 200 and "/visits/" in str(made.url)
    assert "Two rows of 97110 were merged into one: 38 minutes." in made.text
    again = client.get(str(made.url))
    assert "were merged" not in again.text.split('data-testid="units-panel"')[0]


def test_the_api_refuses_a_visit_dated_in_the_future_naming_the_date(app, client):
    with app.state.db.session() as session:
        medicare = session.scalar(select(PayerRow.id).where(PayerRow.profile == "medicare"))
        coverage = session.scalars(
            select(CoverageRow).where(CoverageRow.payer_id == medicare)
        ).first()
    log_in(client, "rcole")
    visit = {"patient_id": coverage.patient_id, "coverage_id": coverage.id, "date": "2025-04-02",
             "services": [{"code": "97110", "minutes": 38}], "note_type": "daily"}  # fmt: skip
    refused = client.post("/api/visits", json=visit, headers={"x-csrf-token": token(client)})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("date: 2025-04-02 is after today (2025-04-01)")
    with app.state.db.session() as session:
        assert session.scalar(select(VisitRow.id).where(VisitRow.date > app.state.today)) is None


def test_building_claims_names_visits_dated_after_today(app, client):
    later = app.state.today.replace(day=20)
    rita, patient = provider_of(app, "rcole"), patient_of(app)
    with app.state.db.session() as session:
        coverage = session.scalars(
            select(CoverageRow).where(CoverageRow.patient_id == patient)
        ).first()
    with clock.as_of(later), app.state.db.unit_of_work(rita.clinic_id, rita.user_id) as uow:
        # recorded before future dates were refused at entry (or by a clock set wrong)
        record_visit(uow, patient_id=patient, coverage_id=coverage.id, provider_id=rita.id,
                     date=later, services=[Service("97110", 38)], note_type="daily",
                     profiles=app.state.wiring.profiles)  # fmt: skip
    log_in(client, "biller")
    built = job_page_after(app, client, "/queues/build-claims", token(client, "/queues"))
    assert "1 visit(s) dated after today (the first on 20 Apr 2025) were not billed" in built.text


def test_saving_the_draft_with_two_rows_of_one_code_says_they_merged(app, client):
    log_in(client, "rcole")
    visit_id = int(re.search(r"/visits/(\d+)", str(
        client.post("/visits/new", data=_form(client, [("97110", 30)], patient=patient_of(app))).url
    ))[1])  # fmt: skip
    form = _form(client, [("97110", 20), ("97110", 18)], patient=patient_of(app))
    saved = client.post(f"/visits/{visit_id}/note", data=form)
    assert saved.status_code == 200, saved.text
    assert "Note saved. Two rows of 97110 were merged into one: 38 minutes." in saved.text
