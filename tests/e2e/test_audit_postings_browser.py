"""The audit trail in a real browser after an 835 posts: its postings are one event a claim
(``posting.remittance``), found under the "posting" records, under the claim, and under each
posting's own id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from otbill.services.remittances.post import post_remittance
from support.browserkit import log_in
from support.demoflow import clinic_and_users
from support.pricingkit import underpaid_demo_claim
from support.webkit import DEMO_TODAY, PASSWORDS


def test_an_835s_postings_in_the_audit_trail(browser: Any, live: Any) -> None:
    _, _, data = underpaid_demo_claim(live.app)
    cid, users = clinic_and_users(live.app)
    db = live.app.state.db
    post_remittance(db, cid, users["biller"], data, name="u.835", today=DEMO_TODAY)
    with db.engine.connect() as conn:
        posting = conn.execute(
            text("SELECT max(id) FROM posting WHERE remittance_id IS NOT NULL")
        ).scalar_one()
    page = browser.new_page()
    log_in(page, live, "approver", PASSWORDS["approver"])
    page.goto(f"{live.url}/audit?entity=posting")
    row = page.locator("tbody tr", has_text="posting.remittance").first
    record = row.locator("td a")
    assert record.inner_text().startswith("claim ")
    record.click()  # the claim's own events, the 835's postings among them
    page.wait_for_url("**entity=claim**")
    assert page.locator("tbody tr", has_text="posting.remittance").count() >= 1
    claim_id = page.url.rsplit("entity_id=", 1)[1]
    page.goto(f"{live.url}/claims/{claim_id}")  # the claim's history says it in words
    told = page.locator("tr", has_text="835 posted").first.inner_text()
    assert "paid $" in told and "postings)" in told
    assert "→ paid" in told or "→ partially_paid" in told or "→ denied" in told  # its moves

    page.goto(f"{live.url}/audit?entity=posting&entity_id={posting}")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "posting.remittance" in rows.first.inner_text()
    rows.first.locator("summary").click()
    assert f'"id": {posting}' in rows.first.inner_text()
