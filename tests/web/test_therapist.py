"""The therapist's pages: schedule, recording a visit, live units, signing, amendments, roles."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from otbill.payers import load_profiles
from otbill.services.visits.warnings import visit_warnings
from otbill.storage.tables import (
    NoteRow,
    VisitRow,
)
from support.webkit import log_in, patient_of, provider_of, token

NOTE = {
    "current_status": "Min assist for upper-body dressing",
    "goals": "Independent dressing in 6 weeks",
    "response_to_treatment": "Tolerated well; reach improved",
    "medical_necessity": "Skilled grading of tasks needed",
    "total_treatment_minutes": "52",
}


def _visit_of(app, username: str) -> int:
    provider = provider_of(app, username)
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        return uow.records.first(VisitRow, VisitRow.provider_id == provider.id).id


def _form(client, rows, *, patient, day="2025-03-31", note=None, note_type="daily", **extra):
    data = {
        "csrf_token": token(client, "/therapist"),
        "patient": str(patient),
        "date": day,
        "place_of_service": "11",
        "note_type": note_type,
        **(note or {}),
        **extra,
    }
    for i, (code, minutes) in enumerate(rows):
        data[f"code_{i}"], data[f"minutes_{i}"] = code, str(minutes)
    return data


def _record(client, rows, **kwargs) -> int:
    response = client.post(
        "/visits/new", data=_form(client, rows, **kwargs), follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(re.search(r"/visits/(\d+)", response.headers["location"]).group(1))


def _units(html: str, code: str) -> int:
    match = re.search(rf'data-testid="units-{code}">(\d+)<', html)
    assert match, f"no units cell for {code}"
    return int(match.group(1))


def test_schedule_falls_back_to_the_latest_day_and_lists_notes_to_sign(client):
    log_in(client, "rcole")
    page = client.get("/therapist")
    assert page.status_code == 200
    assert 'data-testid="schedule-fallback"' in page.text
    assert page.text.count('data-testid="visit-row"') > 0
    assert 'data-testid="unsigned-row"' in page.text
    assert 'href="/visits/new"' in page.text


def test_schedule_day_picker(client):
    log_in(client, "rcole")
    empty = client.get("/therapist?day=2025-01-01")
    assert "No visits on this day" in empty.text and "schedule-fallback" not in empty.text
    assert client.get("/therapist?day=yesterday").status_code == 400


def test_acceptance_record_medicare_visit_units_and_sign(app, client):
    log_in(client, "rcole")
    patient = patient_of(app)
    form = _form(client, [("97110", 38), ("97140", 9)], patient=patient, note=NOTE)
    response = client.post("/visits/new", data=form)
    assert response.status_code == 200 and "Visit recorded" in response.text
    page = response.text
    assert _units(page, "97110") == 2 and _units(page, "97140") == 1
    assert 'data-testid="units-total">3<' in page
    assert "47 minutes" in page and "3 + 1" in page  # explanation, and per-code comparison
    visit_id = int(re.search(r'action="/visits/(\d+)/note"', page).group(1))
    assert 'data-testid="sign-button"' in page
    signed = client.post(
        f"/visits/{visit_id}/sign",
        data=_form(client, [("97110", 38), ("97140", 9)], patient=patient, note=NOTE),
    )
    assert signed.status_code == 200 and "Note signed" in signed.text
    assert 'data-testid="sign-button"' not in signed.text
    assert 'data-testid="note-form"' not in signed.text and "Rita Cole, OTR/L" in signed.text


def test_live_preview_returns_the_units_partial_without_saving(app, client):
    log_in(client, "rcole")
    visit_id = _record(client, [("97110", 38), ("97140", 9)], patient=patient_of(app))
    data = _form(client, [("97110", 30), ("97140", 30)], patient=0)
    partial = client.post(
        f"/visits/{visit_id}/units-preview", data=data, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and "<html" not in partial.text
    assert _units(partial.text, "97110") == 2 and _units(partial.text, "97140") == 2
    assert 'data-testid="units-explanation"' in partial.text
    assert 'data-testid="warnings"' in partial.text
    full = client.post(f"/visits/{visit_id}/units-preview", data=data)  # no JavaScript
    assert "<html" in full.text and 'value="30"' in full.text
    assert _units(client.get(f"/visits/{visit_id}").text, "97110") == 2  # nothing saved
    bad = data | {"code_1": "99999"}
    partial = client.post(
        f"/visits/{visit_id}/units-preview", data=bad, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and "Service row 2, code" in partial.text


def test_new_visit_preview_uses_the_patients_payer(app, client):
    log_in(client, "rcole")
    data = _form(client, [("97110", 38), ("97140", 9)], patient=patient_of(app))
    partial = client.post("/visits/new/units-preview", data=data, headers={"HX-Request": "1"})
    assert "cms" in partial.text and _units(partial.text, "97110") == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code_0": "9711"}, "Service row 1, code"),
        ({"code_0": "12345"}, "Service row 1, code"),
        ({"minutes_0": "abc"}, "Service row 1, minutes"),
        ({"minutes_0": "2000"}, "Service row 1, minutes"),
        ({"minutes_0": "900", "minutes_1": "900"}, "Minutes: "),
        ({"date": "2025-04-02"}, "Date: 2025-04-02 is in the future"),
        ({"date": "April 1"}, "Date: enter the visit date"),
        ({"patient": ""}, "Patient: choose"),
        ({"telehealth": "1"}, "Telehealth: a telehealth visit needs"),
        ({"note_type": "poem"}, "Note template"),
        ({"total_treatment_minutes": "lots"}, "Total treatment minutes"),
    ],
)
def test_bad_visit_input_is_named_never_a_500(app, client, change, message):
    log_in(client, "rcole")
    data = _form(client, [("97110", 38), ("97140", 9)], patient=patient_of(app)) | change
    response = client.post("/visits/new", data=data)
    assert response.status_code == 422, response.text[:300]
    assert message in response.text
    assert 'value="38"' in response.text or change.get("minutes_0")  # typed values kept


def test_incomplete_note_is_refused_with_element_names(app, client):
    log_in(client, "rcole")
    visit_id = _record(client, [("97110", 38)], patient=patient_of(app))
    page = client.get(f"/visits/{visit_id}").text
    assert (
        'data-testid="missing-elements"' in page and 'data-element="response_to_treatment"' in page
    )
    refused = client.post(f"/visits/{visit_id}/sign", data={"csrf_token": token(client)})
    assert refused.status_code == 422
    assert "Not signed" in refused.text
    for element in ("response_to_treatment", "total_treatment_minutes"):
        assert f'<li data-element="{element}">' in refused.text
    with app.state.db.unit_of_work(1) as uow:
        assert uow.records.first(NoteRow, NoteRow.visit_id == visit_id).signed_at is None


def test_saving_the_note_and_minutes_recomputes_units(app, client):
    log_in(client, "rcole")
    patient = patient_of(app)
    visit_id = _record(client, [("97110", 38), ("97140", 9)], patient=patient)
    short = _form(client, [("97110", 38), ("97530", 30)], patient=patient, note=NOTE)
    saved = client.post(f"/visits/{visit_id}/note", data=short)  # 52 total < 68 timed minutes
    assert "at least the 68 timed minutes" in saved.text
    data = short | {"total_treatment_minutes": "75"}
    saved = client.post(f"/visits/{visit_id}/note", data=data)
    assert saved.status_code == 200 and "Note saved" in saved.text
    assert _units(saved.text, "97110") == 3 and _units(saved.text, "97530") == 2  # 68 min: 5
    assert 'data-testid="units-97140"' not in saved.text
    assert 'data-testid="missing-elements"' not in saved.text


def test_signed_note_is_read_only_and_takes_amendments(app, client):
    log_in(client, "rcole")
    patient = patient_of(app)
    visit_id = _record(client, [("97110", 38)], patient=patient, note=NOTE)
    client.post(f"/visits/{visit_id}/sign", data={"csrf_token": token(client)})
    edit = client.post(
        f"/visits/{visit_id}/note", data=_form(client, [("97110", 50)], patient=patient)
    )
    assert edit.status_code == 409 and "signed note cannot be edited" in edit.text
    no_reason = {"csrf_token": token(client), **NOTE, "goals": "Dress alone in 4 weeks"}
    assert client.post(f"/visits/{visit_id}/amend", data=no_reason).status_code == 422
    amended = client.post(f"/visits/{visit_id}/amend", data=no_reason | {"reason": "Typo"})
    assert amended.status_code == 200 and "Amendment added" in amended.text
    assert 'data-testid="amendment"' in amended.text and "Dress alone in 4 weeks" in amended.text
    assert f"{app.state.today:%Y-%m-%d}" in amended.text and "Rita Cole" in amended.text  # run day
    assert 'data-testid="note-form"' not in amended.text


def test_another_therapists_visit_is_forbidden(app, client):
    visit_id = _visit_of(app, "rcole")
    log_in(client, "mpatel")
    assert client.get(f"/visits/{visit_id}").status_code == 403
    data = {"csrf_token": token(client, "/therapist"), **NOTE}
    assert client.post(f"/visits/{visit_id}/note", data=data).status_code == 403
    assert client.post(f"/visits/{visit_id}/sign", data=data).status_code == 403


def test_supervising_ot_opens_the_cotas_visit_but_does_not_sign_it(app, client):
    visit_id = _visit_of(app, "jdiaz")
    log_in(client, "rcole")
    page = client.get(f"/visits/{visit_id}")
    assert page.status_code == 200 and "furnished by an assistant" in page.text
    assert 'data-testid="sign-button"' not in page.text


def test_cota_form_says_furnished_by_assistant(client):
    log_in(client, "jdiaz")
    assert 'data-testid="assistant"' in client.get("/visits/new").text


def test_biller_views_read_only_and_cannot_sign(app, client):
    visit_id = _visit_of(app, "rcole")
    log_in(client, "biller")
    page = client.get(f"/visits/{visit_id}")
    assert page.status_code == 200 and 'data-testid="note-readonly"' in page.text
    assert 'data-testid="sign-button"' not in page.text and 'data-testid="units-' in page.text
    data = {"csrf_token": token(client, f"/visits/{visit_id}")}
    assert client.post(f"/visits/{visit_id}/sign", data=data).status_code == 403
    assert client.post(f"/visits/{visit_id}/note", data=data).status_code == 403
    assert client.get("/therapist").status_code == 403
    assert client.get("/visits/new").status_code == 403


def test_admin_picks_a_therapist(app, client):
    log_in(client, "admin")
    provider = provider_of(app, "rcole")
    page = client.get(f"/therapist?provider={provider.id}")
    assert page.status_code == 200 and 'data-testid="provider-picker"' in page.text
    assert 'data-testid="visit-row"' in page.text


def test_posts_without_csrf_are_refused(app, client):
    log_in(client, "rcole")
    visit_id = _visit_of(app, "rcole")
    data = _form(client, [("97110", 38)], patient=patient_of(app))
    del data["csrf_token"]
    assert client.post("/visits/new", data=data).status_code == 403
    assert client.post(f"/visits/{visit_id}/sign", data=NOTE).status_code == 403
    assert client.post(f"/visits/{visit_id}/amend", data=NOTE).status_code == 403


def test_progress_report_warning_comes_due(app, client):
    log_in(client, "rcole")
    patient = patient_of(app)
    seen = []
    for _ in range(12):  # daily visits (after the demo's last) until the tenth since the report
        visit_id = _record(client, [("97110", 30)], patient=patient, day="2025-03-31")
        page = client.get(f"/visits/{visit_id}").text
        if "Progress report due on this visit" in page:
            seen.append("due")
        elif "Progress report overdue" in page:
            seen.append("overdue")
            break
    assert seen == ["due", "overdue"]
    data = _form(client, [("97110", 30)], patient=patient, note_type="progress")
    partial = client.post(
        f"/visits/{visit_id}/units-preview", data=data, headers={"HX-Request": "1"}
    )
    assert "Progress report" not in partial.text  # choosing the progress template answers it


def test_kx_threshold_near_and_reached(app):
    medicare = load_profiles()["medicare"]
    with app.state.db.unit_of_work(1) as uow:
        visit = uow.records.find(VisitRow, VisitRow.date >= dt.date(2025, 3, 1))[0]

        def kx(threshold: str, cents: int) -> list[str]:
            profile = medicare.model_copy(update={"kx_thresholds": {2025: Decimal(threshold)}})
            found = visit_warnings(
                uow, visit, note_type="daily", profile=profile, this_visit_cents=cents
            )
            return [w.message for w in found if w.topic == "kx"]

        assert "reached" in kx("1.00", 500)[0]
        ytd = kx("0.01", 0)[0]  # "$X allowed this year of ..."
        spent = Decimal(re.search(r"\$([\d,.]+) allowed", ytd).group(1).replace(",", ""))
        assert "near" in kx(str(spent + Decimal("5.00")), 0)[0]
        assert kx(str(spent * 2 + 1000), 0) == []


def test_an_admin_records_no_visit_on_a_therapists_behalf(app, client):
    log_in(client, "admin")
    provider = provider_of(app, "rcole")
    assert "not linked to a provider" in client.get("/visits/new").text
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        before = uow.records.count(VisitRow)
    data = _form(client, [("97110", 38)], patient=patient_of(app), provider=str(provider.id))
    refused = client.post("/visits/new", data=data)
    assert refused.status_code == 422 and "Only a therapist records a visit" in refused.text
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        assert uow.records.count(VisitRow) == before
