"""In a real browser: register a patient with Medicare primary and commercial secondary coverage,
meet the duplicate warning on a second registration, and attach a card image."""

from __future__ import annotations

from support.browserkit import log_in
from support.webkit import PASSWORDS

CARD_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128


def _fill_patient(page) -> None:  # type: ignore[no-untyped-def]
    for name, value in {
        "first_name": "Nora",
        "last_name": "Finch",
        "dob": "1946-09-21",
        "address_line1": "40 Lake Dr",
        "city": "Austin",
        "state": "TX",
        "zip": "78703",
        "phone": "512-555-0147",
        "consent_on": "2025-03-31",
        "benefits_assigned_on": "2025-03-31",
    }.items():
        page.fill(f"#patient-form [name={name}]", value)
    page.select_option("#patient-form select[name=sex]", "F")


def _add_coverage(page, payer: str, priority: str, member_id: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#coverage-form")
    form.locator("select[name=payer_id]").select_option(label=payer)
    form.locator("select[name=priority]").select_option(label=priority)
    form.locator("[name=member_id]").fill(member_id)
    form.locator("[name=effective_from]").fill("2025-01-01")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_register_with_two_coverages_duplicate_warning_and_card(page, live):  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.click("nav >> text=Patients")
    page.click("text=Register a patient")
    _fill_patient(page)
    page.click("#patient-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Patient registered." in page.content()
    assert page.locator("h1").inner_text().startswith("Finch, Nora")
    patient_url = page.url.split("?")[0]

    _add_coverage(page, "Medicare Part B (Novitas JH)", "primary", "1EG4-TE5-MK7O")
    assert "not a Medicare MBI: position 11 must be a digit" in page.content()
    _add_coverage(page, "Medicare Part B (Novitas JH)", "primary", "1EG4-TE5-MK72")
    assert "Coverage added." in page.content()
    _add_coverage(page, "Acme Health PPO", "secondary", "ACM-55012")
    rows = page.locator("#coverage tbody tr")
    assert rows.count() == 2
    assert "primary" in rows.nth(0).inner_text() and "1EG4TE5MK72" in rows.nth(0).inner_text()
    assert "secondary" in rows.nth(1).inner_text() and "ACM-55012" in rows.nth(1).inner_text()

    upload = page.locator("#document-form")
    upload.locator("select[name=kind]").select_option("card-front")
    upload.locator("input[type=file]").set_input_files(
        {"name": "medicare-card.png", "mimeType": "image/png", "buffer": CARD_PNG}
    )
    upload.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Document attached." in page.content()
    link = page.locator("#documents a", has_text="medicare-card.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "medicare-card.png"

    page.goto(f"{live.url}/patients/new")
    _fill_patient(page)
    page.click("#patient-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    warning = page.locator("#duplicate-warning")
    assert "Possible duplicate" in warning.inner_text()
    assert warning.locator("a").get_attribute("href") == patient_url.replace(live.url, "")
    warning.locator("input[name=duplicate_ok]").check()
    page.click("#patient-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Patient registered." in page.content() and page.url.split("?")[0] != patient_url
