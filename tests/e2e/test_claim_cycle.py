"""The issue's acceptance scenarios, in a real browser against the real app.

1. A therapist records 97110 for 38 minutes and 97140 for 9 minutes for a Medicare patient and sees
   2 units of 97110 and 1 of 97140 (47 timed minutes → 3 units by the cms method), and signs the
   note; a biller builds and scrubs the claim, a different user approves it, the batch goes to the
   clearinghouse simulator, its 835 posts and the claim shows as paid.
2. A held claim shows its finding, and one click applies the fix.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from otbill.storage.tables import ClaimRow
from support.browserkit import log_in, record_signed_visit
from support.webkit import DEMO_TODAY, PASSWORDS, paid_visit_day, patient_of

NOTE = {
    "current_status": "Needs minimal assistance with upper-body dressing",
    "goals": "Independent upper-body dressing within 6 weeks",
    "response_to_treatment": "Tolerated well; shoulder reach improved",
    "medical_necessity": "Skilled grading of tasks and cueing are needed",
    "total_treatment_minutes": "52",
}


def test_visit_to_payment(browser, live):
    app = live.app
    app.state.transport = SimulatedClearinghouse(live.app.state.settings.data_dir / "clearinghouse")
    patient = patient_of(app)
    day, number = paid_visit_day(app, patient)
    assert day <= DEMO_TODAY

    therapist = browser.new_page()
    log_in(therapist, live, "rcole", PASSWORDS["rcole"])
    minutes = {"97110": 38, "97140": 9}
    record_signed_visit(therapist, live, patient, day, minutes, NOTE, note_type="progress")
    assert therapist.inner_text("[data-testid=units-97110]").strip() == "2"
    assert therapist.inner_text("[data-testid=units-97140]").strip() == "1"
    assert therapist.inner_text("[data-testid=units-total]").strip() == "3"
    assert therapist.locator("[data-testid=sign-button]").count() == 0

    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=build-claims]")
    # the button answers at once with the build's page, which follows the job until it is done
    assert "/queues/build/jobs/" in biller.url
    biller.wait_for_selector("[data-testid=build-job][data-state=done]")
    built = biller.inner_text("[data-testid=job-summary]")
    assert re.match(r"\d+ claims? built: \d+ ready, \d+ held\.", built), built
    biller.goto(f"{live.url}/queues/ready?date_from={day.isoformat()}&date_to={day.isoformat()}")
    biller.click(f"[data-testid=claim-{number}] a")
    biller.click("[data-testid=rescrub-button]")
    assert biller.inner_text("[data-testid=claim-status]").strip() == "ready"
    claim_url = biller.url

    approver = browser.new_page()
    log_in(approver, live, "approver", PASSWORDS["approver"])
    approver.goto(claim_url)
    approver.click("[data-testid=approve-button]")
    assert approver.inner_text("[data-testid=claim-status]").strip() == "approved"

    biller.goto(f"{live.url}/queues/approved")
    biller.click("[data-testid=submit-batch]")
    # the button answers at once with the submission's page; it follows the job until done
    assert "/queues/submit/jobs/" in biller.url
    biller.wait_for_selector("[data-testid=submit-job][data-state=done]")
    summary = biller.inner_text("[data-testid=job-summary]")
    assert summary.startswith("1 claim(s) sent in 1 file(s).")
    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=fetch-remittances]")
    # the fetch's page: each file as it was applied, the 835 queued and linked to its posting,
    # followed until that posting is done too
    assert "/remittances/fetch/jobs/" in biller.url
    biller.wait_for_selector("[data-testid=fetch-job][data-state=done][data-posting=no]")
    fetched = biller.inner_text("[data-testid=job-summary]")
    assert re.search(r"[1-9]\d* remittance\(s\) \(835\) queued for posting", fetched), fetched
    biller.locator("[data-testid=posting-link]").first.click()
    biller.wait_for_selector("[data-testid=posting-report]")
    biller.goto(claim_url)
    assert biller.inner_text("[data-testid=claim-status]").strip() == "paid"
    with app.state.db.session() as session:
        assert session.scalar(select(ClaimRow.status).where(ClaimRow.number == number)) == "paid"


def test_held_claim_shows_its_finding_and_one_click_fixes_it(browser, live):
    page = browser.new_page()
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/queues/held?rule=MOD001")
    page.locator("[data-testid^=claim-] a").first.click()
    finding = page.locator("[data-testid=finding-MOD001]")
    assert "has no GO modifier" in finding.inner_text()
    page.click("[data-testid=fix-MOD001]")
    assert page.locator("[data-testid=finding-MOD001]").count() == 0
    assert page.inner_text("[data-testid=claim-status]").strip() in ("ready", "held")
