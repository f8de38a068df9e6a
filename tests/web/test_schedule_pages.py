"""Schedule pages: book (one and a weekly series) with warnings shown, double-booking refused
with the form kept, the day and week views, check-in making the visit on the therapist's day,
cancelling the rest of a series, and who may do what."""

from __future__ import annotations

import datetime as dt
import re

from otbill.services.clinic import setup as clinic
from support.webkit import log_in, patient_of, provider_of, token


def _book(client, app, **fields: str):
    data = {
        "csrf_token": token(client, "/schedule/book"),
        "patient": str(patient_of(app)),
        "provider": str(provider_of(app, "rcole").id),
        "date": "2025-04-02",
        "start": "10:00",
        "minutes": "45",
        "visit_type": "daily",
        **fields,
    }
    return client.post("/schedule/book", data=data, follow_redirects=False)


def _booked(client, app, **fields: str) -> int:
    response = _book(client, app, **fields)
    assert response.status_code == 303, response.text
    match = re.fullmatch(
        r"/schedule/appointments/(\d+)\?done=(booked|series)", response.headers["location"]
    )
    assert match
    return int(match.group(1))


def test_book_check_in_and_see_the_visit_on_the_therapists_day(client, app):
    log_in(client, "biller")
    patient = patient_of(app)
    assert f"/schedule/book?patient={patient}" in client.get(f"/patients/{patient}").text
    form = client.get(f"/schedule/book?patient={patient}").text
    assert f'<option value="{patient}" selected>' in form
    appointment = _booked(client, app)
    page = client.get(f"/schedule/appointments/{appointment}?done=booked").text
    assert "Appointment booked." in page and 'data-testid="warnings"' in page
    refused = _book(client, app, start="10:30", minutes="30")
    assert refused.status_code == 422
    assert "is already booked 10:00–10:45 on 2025-04-02" in refused.text
    assert 'value="10:30"' in refused.text  # the form comes back as typed
    day = client.get("/schedule?day=2025-04-02").text
    assert f"/schedule/appointments/{appointment}" in day and "10:00–10:45" in day
    tomorrow = client.post(f"/schedule/appointments/{appointment}/check-in",
                           data={"csrf_token": token(client)}, follow_redirects=False)  # fmt: skip
    assert "after today" in tomorrow.text  # no visit before its day (issue 11 item 9)
    app.state.today = dt.date(2025, 4, 2)  # the patient arrives on the appointment's day
    done = client.post(f"/schedule/appointments/{appointment}/check-in",
                       data={"csrf_token": token(client)}, follow_redirects=False)  # fmt: skip
    assert done.headers["location"].endswith("?done=checked-in")
    page = client.get(done.headers["location"]).text
    visit = re.search(r'href="/visits/(\d+)"', page)
    assert visit and 'data-testid="status">checked-in' in page
    again = client.post(f"/schedule/appointments/{appointment}/check-in",
                        data={"csrf_token": token(client)}, follow_redirects=False)  # fmt: skip
    assert again.status_code == 303  # idempotent: the same visit
    client.post("/logout", data={"csrf_token": token(client)})
    therapist = log_in(client, "rcole")
    assert f"/visits/{visit.group(1)}" in therapist.get("/therapist?day=2025-04-02").text
    document = {"csrf_token": token(therapist, "/therapist"), "code_0": "97530", "minutes_0": "40",
                "current_status": "Min assist for dressing", "goals": "Dress alone in 6 weeks",
                "response_to_treatment": "Tolerated well", "medical_necessity": "Skilled grading",
                "total_treatment_minutes": "40", "note_type": "daily", "place_of_service": "11"}  # fmt: skip
    signed = therapist.post(f"/visits/{visit.group(1)}/sign", data=document)
    assert signed.status_code == 200 and "Note signed" in signed.text  # ready to document
    assert "10:00–10:45" in therapist.get("/schedule?day=2025-04-02").text  # their own
    assert therapist.get("/schedule/book").status_code == 403
    posted = therapist.post("/schedule/book", data={"csrf_token": token(therapist, "/schedule")})
    assert posted.status_code == 403


def test_series_week_view_and_cancel_the_rest(client, app):
    log_in(client, "biller")
    first = _booked(client, app, weekday=["wed", "fri"], weeks="2", start="08:00")
    week = client.get("/schedule?day=2025-04-02&view=week").text
    assert week.count("08:00–08:45") == 2 and "Friday 2025-04-04" in week
    next_week = client.get("/schedule?day=2025-04-09&view=week").text
    assert next_week.count("08:00–08:45") == 2
    cancel = client.post(f"/schedule/appointments/{first}/cancel",
                         data={"csrf_token": token(client), "rest": "yes"}, follow_redirects=False)  # fmt: skip
    assert cancel.headers["location"].endswith("?done=series-cancelled")
    assert client.get("/schedule?day=2025-04-09&view=week").text.count("status-cancelled") == 2


def test_bad_input_names_the_field(client, app):
    log_in(client, "biller")
    response = _book(client, app, minutes="600")
    assert response.status_code == 422
    assert 'id="minutes-error"' in response.text and "a whole number from 5 to 480" in response.text
    response = _book(client, app, start="25:00")
    assert 'id="start-error"' in response.text


def test_auditors_read_and_change_nothing(client, app):
    with app.state.db.unit_of_work(1) as uow:
        clinic.add_user(uow, username="audrey", full_name="Audrey Auditor",
                        password="pw-audrey-long", roles=["auditor"])  # fmt: skip
    log_in(client, "biller")
    appointment = _booked(client, app)
    client.post("/logout", data={"csrf_token": token(client)})
    log_in(client, "audrey", "pw-audrey-long")
    assert "10:00–10:45" in client.get("/schedule?day=2025-04-02").text
    page = client.get(f"/schedule/appointments/{appointment}").text
    assert "Check in</button>" not in page
    assert client.get("/schedule/book").status_code == 403
    posted = client.post(f"/schedule/appointments/{appointment}/check-in",
                         data={"csrf_token": token(client, "/schedule")}, follow_redirects=False)  # fmt: skip
    assert posted.status_code == 403
