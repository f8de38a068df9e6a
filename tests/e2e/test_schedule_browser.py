"""In a real browser: the front desk books three visits for a patient (one showing a warning in
plain words), checks one in, and the therapist sees it on their day page, ready to document."""

from __future__ import annotations

from support.browserkit import log_in
from support.webkit import PASSWORDS, patient_of, provider_of


def _book(page, live, patient: int, therapist: int, day: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{live.url}/schedule/book")
    form = page.locator("#book-form")
    form.locator("select[name=patient]").select_option(str(patient))
    form.locator("select[name=provider]").select_option(str(therapist))
    form.locator("[name=date]").fill(day)
    form.locator("[name=start]").fill("09:00")
    form.locator("[name=minutes]").fill("45")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Appointment booked." in page.locator("[data-testid=notice]").inner_text()
    return page.url.split("?")[0]


def test_book_three_check_in_one_and_the_therapist_sees_it(page, live):  # type: ignore[no-untyped-def]
    patient, therapist = patient_of(live.app), provider_of(live.app, "rcole").id
    log_in(page, live, "biller", PASSWORDS["biller"])
    first = _book(page, live, patient, therapist, "2025-04-01")  # today: it can be checked in
    _book(page, live, patient, therapist, "2025-04-03")
    _book(page, live, patient, therapist, "1999-01-05")  # before any coverage of the patient
    warnings = page.locator("[data-testid=warnings]").inner_text()
    assert "No active coverage on 1999-01-05" in warnings

    page.goto(f"{live.url}/schedule?day=2025-04-02&view=week")
    assert page.locator("table.schedule").count() == 7
    assert page.locator("main").inner_text().count("09:00–09:45") == 2

    page.goto(first)
    page.click("text=Check in")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=status]").inner_text() == "checked-in"
    visit = page.locator("a[href^='/visits/']").get_attribute("href")

    page.context.clear_cookies()
    log_in(page, live, "rcole", PASSWORDS["rcole"])
    page.goto(f"{live.url}/therapist?day=2025-04-01")
    assert page.locator(f"a[href='{visit}']").count() >= 1
    page.goto(f"{live.url}{visit}")
    assert page.locator("main").is_visible()
