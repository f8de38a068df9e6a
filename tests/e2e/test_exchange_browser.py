"""In a real browser, with the payer simulator served on loopback over CAQH CORE HTTP: two patients
booked for tomorrow are verified overnight (the night's `otbill eligibility run`), the results page
flags the inactive coverage before the visit, the appointment page says the copay and visits left,
a 278 is requested and approved into the authorization, and a claim sent 35 days ago with no
answer gets a 276 and its 277 status in plain words."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from otbill import clock
from otbill.clearinghouse.core_http import CoreHttpTransport
from otbill.clearinghouse.simulator.servers import serve_payers
from otbill.domain.schedule import Appointment
from otbill.services.claims.lifecycle import approve, submit
from otbill.services.frontdesk import patients
from otbill.services.frontdesk.authorizations import open_authorization
from otbill.storage.tables import ClaimRow, UserRow
from support.browserkit import log_in
from support.webkit import PASSWORDS, patient_of, provider_of


@pytest.fixture
def payers(live):  # type: ignore[no-untyped-def]
    """The simulator on loopback; the app's 270, 276 and 278 go to it over CORE MIME."""
    with serve_payers() as simulator:
        for name, transaction in (("eligibility_transport", "270"),
                                  ("claim_status_transport", "276"),
                                  ("prior_auth_transport", "278")):  # fmt: skip
            setattr(live.app.state, name, CoreHttpTransport(
                simulator.core_url, "OTBILL", "SIMULATOR", transaction=transaction, timeout=10.0))  # fmt: skip
        yield simulator


def _user(app, username: str) -> int:  # type: ignore[no-untyped-def]
    with app.state.db.session() as session:
        return session.scalars(select(UserRow.id).where(UserRow.username == username)).one()


def _book_tomorrow(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two new patients booked tomorrow: member IDs ending 0 (active, therapy benefits) and 6
    (the plan ended); their appointment ids by first name."""
    day = app.state.today + dt.timedelta(days=1)
    therapist = provider_of(app, "rcole")
    booked = {}
    with app.state.db.unit_of_work(1) as uow:
        payer = next(p for p in uow.payers.all() if p.profile == "commercial-in-network")
        for n, (first, member) in enumerate((("Ada", "NIGHT810"), ("Ivy", "NIGHT816"))):
            patient = patients.add_patient(uow, mrn=f"NIGHT{n}", first_name=first,
                                           last_name="Overnight", dob=dt.date(1958, 5, 1 + n),
                                           sex="F")  # fmt: skip
            patients.add_coverage(uow, patient_id=patient, payer_id=payer.id, member_id=member,
                                  effective_from=dt.date(2020, 1, 1))  # fmt: skip
            booked[first] = uow.schedule.add(Appointment(0, therapist.id, None, patient, None,
                                                         day, 600 + 60 * n, 45, "daily"))  # fmt: skip
    return booked


def _requested_authorization(app) -> int:  # type: ignore[no-untyped-def]
    """A demo patient with a signed plan of care asks for 12 visits on a coverage the simulator
    approves (member ID ending 0)."""
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        payer = uow.patients.coverages([patient])[0].payer_id
        coverage = patients.add_coverage(uow, patient_id=patient, payer_id=payer,
                                         member_id="PA278E2E0", priority=3,
                                         effective_from=dt.date(2024, 1, 1))  # fmt: skip
        return open_authorization(uow, coverage_id=coverage, number="REQ-E2E-278",
                                  start=dt.date(2025, 4, 7), end=dt.date(2025, 6, 30),
                                  visits_authorized=12, codes=["97530"])  # fmt: skip


def _claim_sent_35_days_ago(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A ready demo claim (number ending 2: the simulator's 'pending, in process') approved and
    sent 35 days before the app's today, with no 277CA or 835 since."""
    sent = app.state.today - dt.timedelta(days=35)
    with app.state.db.session() as session:
        claim = session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")
                                .where(ClaimRow.number.like("%2")).order_by(ClaimRow.id)).first()  # fmt: skip
        assert claim is not None, "the demo has no ready claim numbered ...2"
        claim_id, number = claim.id, claim.number
    with clock.as_of(sent):
        with app.state.db.unit_of_work(1, _user(app, "approver")) as uow:
            approve(uow, claim_id, sent)
        with app.state.db.unit_of_work(1, _user(app, "biller")) as uow:
            submit(uow, [claim_id])
    return claim_id, number


def _overnight_run(app, url: str) -> None:  # type: ignore[no-untyped-def]
    """What the night's scheduled job runs: the CLI against the clinic's database."""
    tomorrow = app.state.today + dt.timedelta(days=1)
    env = {**os.environ, "OTBILL_TODAY": app.state.today.isoformat()}
    done = subprocess.run(
        [sys.executable, "-m", "otbill.cli", "eligibility", "run", "--for-date",
         tomorrow.isoformat(), "--user", "biller", "--transport", "core", "--url", url,
         "--receiver", "SIMULATOR", "--database-url", str(app.state.db.engine.url)],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_overnight_verification_benefits_278_and_276_in_the_browser(page, live, payers):  # type: ignore[no-untyped-def]
    app = live.app
    booked = _book_tomorrow(app)
    auth = _requested_authorization(app)
    claim_id, number = _claim_sent_35_days_ago(app)
    _overnight_run(app, payers.core_url)
    asked = payers.log.snapshot()
    assert payers.log.duplicates() == {}, asked  # nobody asked about twice

    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/eligibility/runs")
    page.locator("main a[href^='/eligibility/runs/']").first.click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr[data-testid^=result-]")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    ivy = next(t for t in texts if "Overnight, Ivy" in t)
    ada = next(t for t in texts if "Overnight, Ada" in t)
    assert "Inactive" in ivy and "Active" in ada and "$25 in network" in ada
    flagged = page.locator("tr[data-flagged=yes]").all_inner_texts()
    assert any("Overnight, Ivy" in t for t in flagged)  # looked at before the visit
    assert not any("Overnight, Ada" in t for t in flagged)

    page.goto(f"{live.url}/schedule/appointments/{booked['Ada']}")
    shown = page.locator("main").inner_text()
    assert "Copay due $25" in shown and "Visits left:" in shown

    page.goto(f"{live.url}/authorizations/{auth}")
    page.click("text=Request from the payer (278)")
    page.wait_for_load_state("networkidle")
    assert page.locator("#auth-status").inner_text() == "approved"
    said = page.locator("#payer-answer").inner_text()
    assert "approved, authorization number AUTH" in said
    assert page.locator("#visits").inner_text() == "0 used of 12, 12 left"

    page.goto(f"{live.url}/claims/follow-up")
    assert number in page.locator(f"[data-testid=follow-up-{claim_id}]").inner_text()
    page.click(f"[data-testid=ask-{claim_id}]")
    page.wait_for_load_state("networkidle")
    flash = page.locator("[data-testid=flash]").inner_text()
    assert number in flash and "pending" in flash and "in process" in flash
    page.goto(f"{live.url}/claims/{claim_id}")
    assert "asked the payer (276)" in page.locator("main").inner_text()
