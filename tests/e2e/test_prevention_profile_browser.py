"""A payer-profile change proposed by prevention, in the browser: Medicare denied the same code
for its units (CARC 152) three times; the biller sees the check proposed as a change to
Medicare's profile (count units per code, not pooled), accepts it, and the next Medicare visit of
10 + 10 minutes of two timed codes is counted per code on the therapist's visit page and billed as
two lines of one unit each, where the 8-minute rule pooled would bill one."""

from __future__ import annotations

from sqlalchemy import select

from otbill import clock
from otbill.services.denials import prevention
from otbill.storage.tables import ClaimLineRow, ClaimRow
from support.browserkit import log_in, record_signed_visit
from support.demoflow import clinic_and_users, next_visit_of
from support.denialkit import deny_three_times
from support.webkit import DEMO_TODAY, PASSWORDS


def test_units_denials_change_the_payers_profile(browser, live):  # type: ignore[no-untyped-def]
    app = live.app
    db, (clinic_id, users) = app.state.db, clinic_and_users(app)
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, users["biller"]) as uow:
        medicare = next(p for p in uow.payers.all() if p.profile == "medicare")
        code = deny_three_times(uow, medicare.id, "152")
        prevention.propose_checks(uow, DEMO_TODAY, medicare.id, "152")  # as the 835 would
        check = uow.appeals.check_for(medicare.id, code, "152")
        assert check is not None and check.profile_change == "profile:per-code"

    # the biller sees a change to Medicare's profile proposed, and accepts it
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/denials")
    biller.click("[data-testid=prevention-link]")
    proposed = biller.inner_text(f"[data-testid=profile-change-{check.id}]")
    assert proposed.startswith("Payer profile: count units per code") and code in proposed
    biller.click(f"[data-testid=accept-{check.id}]")
    flash = biller.inner_text("[data-testid=flash]")
    assert "Medicare Part B" in flash and "count units per code" in flash
    accepted = biller.inner_text("[data-testid=h-accepted] + table, #h-accepted ~ table")
    assert "count units per code" in accepted

    # the next Medicare visit is counted per code: 10 + 10 minutes bill two lines of 1 unit
    patient, coverage, day = next_visit_of(app, medicare.id, code)
    other = next(c for c in ("97110", "97535", "97112") if c != code)
    therapist = browser.new_page()
    log_in(therapist, live, "rcole", PASSWORDS["rcole"])
    record_signed_visit(therapist, live, patient, day, {code: 10, other: 10})
    assert therapist.inner_text("[data-testid=payer-method]") == "per-code"  # the visit page
    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=build-claims]")
    biller.wait_for_selector("[data-testid=build-job][data-state=done]")
    with db.session() as session:
        claim_id = session.scalar(
            select(ClaimRow.id).where(ClaimRow.number == f"P{patient}C{coverage}D{day:%Y%m%d}")
        )
        billed = session.execute(
            select(ClaimLineRow.code, ClaimLineRow.units).where(ClaimLineRow.claim_id == claim_id)
        ).all()
    assert sorted(billed) == sorted([(code, 1), (other, 1)])
    biller.goto(f"{live.url}/claims/{claim_id}")
    assert biller.locator("tr[data-testid^=line-]").count() == 2
