"""Eligibility runs pages: start tomorrow's run, follow its progress, read the results flagged."""

from __future__ import annotations

import datetime as dt
import re

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.transport import TransportError
from otbill.domain.schedule import Appointment
from otbill.services.frontdesk import patients
from otbill.web.routes.eligibility_runs import workers
from support.webkit import log_in, provider_of, token


def _booked(app, members: list[str]) -> dt.date:  # type: ignore[no-untyped-def]
    """Patients with an Acme-like payer booked on the day after the app's today."""
    day = app.state.today + dt.timedelta(days=1)
    provider = provider_of(app, "rcole")
    with app.state.db.unit_of_work(1) as uow:
        payer = next(p for p in uow.payers.all() if p.profile == "commercial-in-network")
        for n, member in enumerate(members):
            patient = patients.add_patient(uow, mrn=f"ER{n}", first_name=f"Eli{n}",
                                           last_name="Runner", dob=dt.date(1961, 2, 1 + n), sex="F")  # fmt: skip
            patients.add_coverage(uow, patient_id=patient, payer_id=payer.id, member_id=member,
                                  effective_from=dt.date(2020, 1, 1))  # fmt: skip
            uow.schedule.add(Appointment(0, provider.id, None, patient, None, day, 1200 + 15 * n,
                                         15, "daily"))  # fmt: skip
    return day


class _DownFor:
    def __init__(self, member: str) -> None:
        self.member, self.payer = member, SimulatedEligibilityPayer()

    def exchange(self, request: bytes) -> bytes:
        if f"*MI*{self.member}~".encode() in request:
            raise TransportError("no answer within 30 s")
        return self.payer.exchange(request)


def test_check_tomorrows_patients_now_then_the_results_flagged_first(app, client) -> None:  # type: ignore[no-untyped-def]
    day = _booked(app, ["ACM801", "ACM806", "ACM807", "ACM802"])
    app.state.eligibility_transport = _DownFor("ACM802")
    log_in(client, "biller")
    page = client.get("/eligibility/runs").text
    assert "Check tomorrow&#39;s patients now" in page or "Check tomorrow's patients now" in page
    assert f'name="for_date" value="{day}"' in page
    assert 'href="/eligibility/runs">Eligibility runs</a>' in page  # in the navigation
    started = client.post("/eligibility/runs", data={"for_date": day.isoformat(),
                          "csrf_token": token(client, "/eligibility/runs")},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    workers(app.state).wait(60)
    shown = client.get(started.headers["location"]).text
    assert 'data-state="finished"' in shown and "hx-get" not in shown
    summary = re.search(r'data-testid="run-summary">([^<]+)<', shown)
    assert summary is not None
    with app.state.db.unit_of_work(1) as uow:  # the demo's own patients booked that day too
        run = uow.eligibility_runs.get(run_id)
    assert summary.group(1) == (
        f"{run.total} coverages: {run.active} active, {run.inactive} inactive, "
        f"{run.not_verified} not verified, {run.failed} with no answer."
    )
    assert run.total >= 4 and run.failed >= 1 and run.inactive >= 1
    rows = re.findall(r'<tr data-testid="result-\d+"( class="flagged" data-flagged="yes")?\s*>(.*?)</tr>',
                      shown, re.S)  # fmt: skip
    flagged = [bool(f) for f, _ in rows]
    assert flagged == sorted(flagged, reverse=True)  # the ones to look at come first
    text = {re.search(r"Runner, (Eli\d)", cells).group(1): cells  # type: ignore[union-attr]
            for _, cells in rows if "Runner, Eli" in cells}  # fmt: skip
    assert "Inactive: " in text["Eli1"] and "Not verified: " in text["Eli2"]
    assert "No answer: the payer could not be asked: no answer within 30 s" in text["Eli3"]
    assert "Active" in text["Eli0"] and "$25 in network" in text["Eli0"]
    assert "20:00" in text["Eli0"]
    listing = client.get("/eligibility/runs").text
    assert f'href="/eligibility/runs/{run_id}">Run {run_id}</a>' in listing
    progress = client.get(f"/eligibility/runs/{run_id}?part=progress").text
    assert progress.lstrip().startswith("{#") is False and 'id="eligibility-run"' in progress


def test_a_stopped_run_offers_to_finish_and_bad_input_is_named(app, client) -> None:  # type: ignore[no-untyped-def]
    day = _booked(app, ["ACM811", "ACM812"])
    from otbill.services.exchange.eligibility_batch import start_run

    with app.state.db.unit_of_work(1, 1) as uow:  # a run left unfinished by a server restart
        run_id = start_run(uow, day, "scheduled", today=app.state.today)
    log_in(client, "biller")
    page = client.get(f"/eligibility/runs/{run_id}").text
    assert "This run stopped after 0 of" in page and "Finish this run" in page
    done = client.post(f"/eligibility/runs/{run_id}/resume",
                       data={"csrf_token": token(client)}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    workers(app.state).wait(60)
    finished = client.get(f"/eligibility/runs/{run_id}").text
    assert 'data-state="finished"' in finished
    bad = client.post("/eligibility/runs", data={"for_date": "next week",
                      "csrf_token": token(client)})  # fmt: skip
    assert bad.status_code == 422 and "Date of the visits &#39;next week&#39;" in bad.text
    assert client.get("/eligibility/runs/999999").status_code == 404
    client.cookies.clear()
    log_in(client, "rcole")  # a therapist does not run eligibility
    assert client.get("/eligibility/runs").status_code == 403
