"""In a real browser: open an authorization request on a patient's coverage, log two calls with
reference numbers, approve it with 12 visits, and see it in the work queue and then out of it."""

from __future__ import annotations

from support.browserkit import log_in
from support.webkit import PASSWORDS


def _submit(page, form: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _log_call(page, reference: str, person: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#log-form")
    form.locator("select[name=kind]").select_option("call")
    form.locator("[name=reference]").fill(reference)
    form.locator("[name=contact]").fill(person)
    form.locator("[name=text]").fill("Payer has the clinical notes; decision pending")
    _submit(page, "#log-form")
    assert "Entry logged." in page.content()


def test_request_two_calls_approve_and_the_queue(page, live):  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/patients")
    last_name = page.locator("tbody tr td a").first.inner_text().split(",")[0]
    page.goto(f"{live.url}/authorizations")
    page.click("text=Open an authorization request")
    page.fill("input[name=q]", last_name)
    _submit(page, "form[action='/authorizations/new']")
    page.locator("ul li a").first.click()
    page.wait_for_load_state("networkidle")
    for name, value in {"number": "REQ-E2E", "start": "2025-09-01", "end": "2025-11-30",
                        "note": "Asked for 12 visits by fax"}.items():  # fmt: skip
        page.fill(f"#request-form [name={name}]", value)
    _submit(page, "#request-form")
    assert page.locator("#auth-status").inner_text() == "requested"
    _log_call(page, "C-101", "Dana at Acme")
    _log_call(page, "C-102", "Lee at Acme")
    auth_page = page.url.split("?")[0]

    page.goto(f"{live.url}/authorizations")
    assert "REQ-E2E" in page.locator("#pending").inner_text()

    page.goto(auth_page)
    page.locator("#status-form select[name=status]").select_option("approved")
    page.fill("#status-form [name=number]", "A-E2E-12")
    page.fill("#status-form [name=visits]", "12")
    _submit(page, "#status-form")
    assert page.locator("#auth-status").inner_text() == "approved"
    assert page.locator("#visits").inner_text() == "0 used of 12, 12 left"
    log = page.locator("#log").inner_text()
    assert "reference C-101" in log and "spoke with Lee at Acme" in log
    assert "requested -> approved (12 visits)" in log

    page.goto(f"{live.url}/authorizations")
    queue = page.locator("main").inner_text()
    assert "REQ-E2E" not in queue and "A-E2E-12" not in queue
