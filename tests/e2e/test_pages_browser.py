"""Issue 11, items 4–6 in a real browser: what the pages say.

4. A signed daily note's read-only view shows every element the therapist wrote.
5. The dashboard shows unbilled work and a denied claim under appeal as owed, not written off.
6. After "Appeal" the claim is still found: under its status tab and by a search for the patient.
"""

from __future__ import annotations

from sqlalchemy import select

from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import ClaimRow, PatientRow
from support.browserkit import log_in
from support.demoflow import make_835, send_claims, user_id
from support.webkit import DEMO_TODAY, PASSWORDS, patient_of

NOTE = {
    "current_status": "Moderate assist for lower-body dressing",
    "goals": "Dress independently with a reacher in 4 weeks",
    "response_to_treatment": "Tolerated well; less cueing needed",
    "medical_necessity": "Skilled task grading and safety training needed",
    "total_treatment_minutes": "45",
}


def _denied(app) -> ClaimRow:
    """Two demo claims sent; the payer pays one and denies the other (CO-197)."""
    sent = send_claims(app, 2)
    data = make_835([(sent[0], True), (sent[1], False)])
    post_remittance(app.state.db, 1, user_id(app, "biller"), data, today=DEMO_TODAY)
    return sent[1]


def _appeal_in_the_browser(page, live, claim: ClaimRow) -> None:  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/denials")
    row = page.locator(f"[data-testid=denial-{claim.number}]")
    row.locator("input[name=reason]").fill("Authorization was on file")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_a_signed_daily_note_reads_back_every_element(page, live):  # type: ignore[no-untyped-def]
    log_in(page, live, "rcole", PASSWORDS["rcole"])
    page.goto(f"{live.url}/visits/new")
    page.select_option("[data-testid=patient]", str(patient_of(live.app)))
    page.fill("[data-testid=date]", "2025-03-31")
    page.select_option("[data-testid=note_type]", "daily")
    page.fill("[data-testid=code-0]", "97530")
    page.fill("[data-testid=minutes-0]", "40")
    page.click("[data-testid=record-button]")
    for field, value in NOTE.items():
        page.fill(f"[data-testid=field-{field}]", value)
    page.click("[data-testid=sign-button]")
    assert "Note signed" in page.content()
    page.reload()
    note = page.locator("[data-testid=note-readonly]")
    text = note.inner_text()
    for value in NOTE.values():
        assert value in text, value
    for label in ("Current status", "Goals", "Medical necessity", "Response to treatment"):
        assert label in text


def test_the_dashboard_shows_unbilled_work_and_the_appeal(browser, page, live):  # type: ignore[no-untyped-def]
    claim = _denied(live.app)
    _appeal_in_the_browser(page, live, claim)
    owner = browser.new_page()  # another person, in a browser of their own
    try:
        log_in(owner, live, "approver", PASSWORDS["approver"])  # approvers read the dashboard
        owner.click("nav >> text=Dashboard")
        text = owner.locator("#work_in_progress").inner_text()
        aging = owner.locator("#ar_aging").inner_text()
    finally:
        owner.close()
    assert "Unbilled work and appeals" in text
    assert "Claims being prepared (draft, held, ready)" in text
    denied = f"${claim.total_charge_cents / 100:,.2f}"
    assert denied in text  # the appealed claim's denied amount, still owed
    assert "Under appeal" in aging and denied in aging


def test_an_appealed_claim_is_found_by_status_and_by_patient(page, live):  # type: ignore[no-untyped-def]
    claim = _denied(live.app)
    _appeal_in_the_browser(page, live, claim)
    with live.app.state.db.session() as session:
        patient = session.scalar(select(PatientRow).where(PatientRow.id == claim.patient_id))
        name = f"{patient.first_name} {patient.last_name}"
    page.click("nav >> text=Find a claim")
    page.click("[data-testid=status-appealed]")
    rows = page.locator("[data-testid=claim-row]")
    assert rows.count() == 1 and claim.number in rows.first.inner_text()
    assert page.get_attribute("[data-testid=status-appealed]", "data-count") == "1"

    page.click("[data-testid=status-all]")
    page.fill("[data-testid=search-patient]", name)
    page.click("[data-testid=search-button]")
    page.wait_for_load_state("networkidle")
    found = page.locator(f"[data-testid=claim-row][data-claim='{claim.number}']")
    assert found.count() == 1 and "Appealed" in found.inner_text()
    found.locator("a").first.click()
    assert page.inner_text("[data-testid=claim-status]").strip() == "appealed"

    page.goto(f"{live.url}/claims?amount_min=lots")
    assert page.inner_text("[data-testid=search-error]").startswith("Charge from")
