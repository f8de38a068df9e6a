"""The signed note's read-only view shows every element the therapist wrote (issue 11, item 4)."""

from __future__ import annotations

import re

from support.webkit import log_in, patient_of, record_daily_visit, token

NOTE = {
    "current_status": "Min assist for upper-body dressing",
    "goals": "Independent dressing in 6 weeks",
    "response_to_treatment": "Tolerated well; reach improved",
    "medical_necessity": "Skilled grading of tasks needed",
    "total_treatment_minutes": "45",
}


def _signed_daily_note(app, client) -> int:
    log_in(client, "rcole")
    visit_id = record_daily_visit(client, patient_of(app), **NOTE)
    signed = client.post(f"/visits/{visit_id}/sign", data={"csrf_token": token(client)})
    assert "Note signed" in signed.text
    return visit_id


def _read_only(html: str) -> str:
    match = re.search(r'data-testid="note-readonly">(.*?)</section>', html, re.S)
    assert match, "no read-only note on the page"
    return match.group(1)


def test_a_signed_daily_note_shows_status_goals_and_necessity_read_only(app, client):
    visit_id = _signed_daily_note(app, client)
    view = _read_only(client.get(f"/visits/{visit_id}").text)
    for value in NOTE.values():
        assert value in view
    for element in ("current_status", "goals", "medical_necessity", "interventions"):
        assert f'data-element="{element}"' in view


def test_the_read_only_view_shows_the_amended_text(app, client):
    visit_id = _signed_daily_note(app, client)
    change = {"csrf_token": token(client), **NOTE, "goals": "Dress alone in 4 weeks"}
    client.post(f"/visits/{visit_id}/amend", data=change | {"reason": "Goal revised"})
    view = _read_only(client.get(f"/visits/{visit_id}").text)
    assert "Dress alone in 4 weeks" in view and NOTE["goals"] not in view


def test_a_biller_sees_every_written_element(app, client):
    visit_id = _signed_daily_note(app, client)
    client.post("/logout", data={"csrf_token": token(client)})
    log_in(client, "biller")
    view = _read_only(client.get(f"/visits/{visit_id}").text)
    assert NOTE["medical_necessity"] in view and NOTE["current_status"] in view
