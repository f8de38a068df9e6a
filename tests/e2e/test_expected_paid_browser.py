"""Issue 14 done-when, in a real browser: an underpaid Medicare line appears in the underpayment
queue with its expected amount computed from the PFS tables, and the 2024 -> 2025 what-if on the
demo clinic shows the change per payer."""

from __future__ import annotations

from typing import Any

from otbill.services.remittances.post import post_remittance
from support.browserkit import log_in
from support.demoflow import clinic_and_users
from support.pricingkit import underpaid_demo_claim
from support.webkit import DEMO_TODAY, PASSWORDS


def test_underpaid_line_then_the_2024_to_2025_what_if(browser: Any, live: Any) -> None:
    number, lines, data = underpaid_demo_claim(live.app)
    cid, users = clinic_and_users(live.app)
    post_remittance(live.app.state.db, cid, users["biller"], data, name="u.835", today=DEMO_TODAY)
    page = browser.new_page()
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/underpayments")
    row = page.locator(f"[data-testid=line-{lines[0]}]")
    assert row.count() == 1
    assert number in row.inner_text()
    basis = page.inner_text(f"[data-testid=basis-{lines[0]}]")
    assert "RVUs in force 2025, CF 32.3465" in basis
    assert page.inner_text(f"[data-testid=expected-paid-{lines[0]}]").startswith("$")
    assert "Medicare Part B" in page.inner_text("[data-testid=variance]")

    page.goto(f"{live.url}/what-if")
    page.fill("[data-testid=form-year] input[name=from_year]", "2024")
    page.fill("[data-testid=form-year] input[name=to_year]", "2025")
    page.click("[data-testid=run-year]")
    page.locator("[data-testid=result]").wait_for()
    medicare = page.locator("[data-testid='payer-Medicare Part B (Novitas JH)']")
    assert medicare.locator("[data-testid=percent]").inner_text() == "-2.83"
    assert "-" in medicare.locator("[data-testid=change]").inner_text()  # a cut
    payers = page.locator("[data-testid=by-payer] tbody tr")
    assert payers.count() >= 2  # the other payers are listed, their contracts unchanged
    assert "conversion factor's alone" in page.inner_text("[data-testid=result]")
