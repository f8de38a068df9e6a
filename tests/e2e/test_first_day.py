"""Issue 10's acceptance test: a new clinic's first day in a real browser, from an empty database
to the 837P on the clearinghouse's folder, and that file carries what the clinic typed in.

First run (clinic and admin) → a location, an OTR/L and a COTA she supervises, their logins, a
biller and an approver → Medicare and a commercial payer with fees → a patient with Medicare
primary and commercial secondary → a referral, a plan of care and the physician's signature date →
an authorization requested, two calls logged, approved → three visits booked (warnings shown) →
one checked in, documented (minutes per code) and signed by the therapist → claims built and
scrubbed by the biller, approved by the approver, submitted → the 837P read back.

The day is walked once per module (a fixture); one test reads what the 837P carries, another
that the primary's claim names the secondary coverage (loops 2320/2330A/2330B).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from otbill.settings import Settings
from otbill.web.app import create_app
from support.browserkit import LiveServer
from support.firstday import SETUP_CODE, fill, first_run, log_in_to, submit
from support.firstday_clinic import (
    CLINIC,
    LOCATION,
    PASSWORD,
    THERAPIST_NPI,
    add_payers_and_fees,
    set_up_the_clinic,
)

TODAY = dt.date(2025, 4, 7)  # a Monday; the app runs as of this day
PHYSICIAN_NPI = "1679576722"
MBI = "5QR7-H44-XY29"
NOTE = {
    "current_status": "Needs minimal assistance with upper-body dressing",
    "goals": "Independent upper-body dressing within 6 weeks",
    "response_to_treatment": "Tolerated well; shoulder reach improved",
    "medical_necessity": "Skilled grading of tasks and cueing are needed",
    "total_treatment_minutes": "47",
}


def _as(page: Page, base: str, username: str) -> None:
    log_in_to(page, base, CLINIC["code"], username, PASSWORD)


def _add_coverage(page: Page, payer: str, priority: str, member_id: str) -> None:
    form = page.locator("#coverage-form")
    form.locator("select[name=payer_id]").select_option(label=payer)
    form.locator("select[name=priority]").select_option(label=priority)
    form.locator("[name=member_id]").fill(member_id)
    form.locator("[name=effective_from]").fill("2025-01-01")
    form.locator("[name=eligibility_verified_on]").fill("2025-04-04")  # checked on the portal
    submit(page, "#coverage-form")
    expect(page.locator("main")).to_contain_text("Coverage added.")


def _register_the_patient(page: Page, base: str) -> str:
    page.goto(base + "/patients/new")
    fill(page, "#patient-form", {
        "first_name": "Nora", "last_name": "Finch", "dob": "1946-09-21",
        "address_line1": "40 Lake Dr", "city": "Springfield", "state": "MA", "zip": "01104",
        "phone": "413-555-0147", "consent_on": "2025-03-31", "benefits_assigned_on": "2025-03-31",
    })  # fmt: skip
    page.select_option("#patient-form select[name=sex]", "F")
    submit(page, "#patient-form")
    expect(page.locator("main")).to_contain_text("Patient registered.")
    patient = re.search(r"/patients/(\d+)", page.url)
    assert patient, page.url
    _add_coverage(page, "Medicare Part B", "primary", MBI)
    _add_coverage(page, "Acme Health PPO", "secondary", "ACM-55012")
    expect(page.locator("#coverage tbody tr")).to_have_count(2)
    return patient.group(1)


def _referral_and_plan(page: Page, base: str, patient: str) -> None:
    doctor = f"Sam Ng · NPI {PHYSICIAN_NPI}"
    page.goto(base + "/plans/physicians")
    fill(page, "#physician-form", {"first_name": "Sam", "last_name": "Ng",
                                   "npi": PHYSICIAN_NPI, "fax": "413-555-0100"})  # fmt: skip
    submit(page, "#physician-form")
    expect(page.locator("main")).to_contain_text("Physician added.")
    page.goto(f"{base}/plans/patient/{patient}")
    page.locator("#referral-form select[name=physician_id]").select_option(label=doctor)
    fill(page, "#referral-form", {"referred_on": "2025-03-28", "diagnoses": "M62.81, R26.89"})
    submit(page, "#referral-form")
    expect(page.locator("main")).to_contain_text("Referral recorded.")
    page.locator("#plan-form select[name=physician_id]").select_option(label=doctor)
    page.locator("#plan-form select[name=referral_id]").select_option(index=1)
    fill(page, "#plan-form", {"start": "2025-04-01", "diagnoses": "M62.81, R26.89",
                              "frequency_per_week": "2", "duration_weeks": "8",
                              "goals": "Dress independently in 8 weeks"})  # fmt: skip
    submit(page, "#plan-form")
    expect(page.locator("[data-testid=plan-state]")).to_have_text("awaiting signature")
    fill(page, "#signature-form", {"received_on": "2025-04-03"})
    submit(page, "#signature-form")
    expect(page.locator("[data-testid=certified-on]")).to_have_text("2025-04-03")


def _log_call(page: Page, reference: str, person: str) -> None:
    page.locator("#log-form select[name=kind]").select_option("call")
    fill(page, "#log-form", {"reference": reference, "contact": person,
                             "text": "Payer has the evaluation; decision pending"})  # fmt: skip
    submit(page, "#log-form")
    expect(page.locator("main")).to_contain_text("Entry logged.")


def _authorize(page: Page, base: str) -> None:
    page.goto(base + "/authorizations")
    page.click("text=Open an authorization request")
    page.fill("input[name=q]", "Finch")
    submit(page, "form[action='/authorizations/new']")
    page.locator("ul li a", has_text="Finch").first.click()
    page.wait_for_load_state("networkidle")
    fill(page, "#request-form", {"number": "REQ-1", "start": "2025-04-01", "end": "2025-04-30",
                                 "note": "Asked for 2 visits by fax"})  # fmt: skip
    submit(page, "#request-form")
    expect(page.locator("#auth-status")).to_have_text("requested")
    _log_call(page, "C-101", "Dana at Medicare")
    _log_call(page, "C-102", "Lee at Medicare")
    page.locator("#status-form select[name=status]").select_option("approved")
    fill(page, "#status-form", {"number": "A-2025-01", "visits": "2"})
    submit(page, "#status-form")
    expect(page.locator("#auth-status")).to_have_text("approved")
    log = page.locator("#log")
    expect(log).to_contain_text("reference C-101")
    expect(log).to_contain_text("spoke with Lee at Medicare")


def _book(page: Page, base: str, day: str) -> tuple[str, str]:
    """Book 09:00 for 45 minutes on ``day``: the appointment's address and its warnings."""
    page.goto(base + "/schedule/book")
    form = "#book-form"
    page.locator(f"{form} select[name=patient]").select_option(index=1)
    ada = page.locator(f"{form} select[name=provider] option", has_text="Ng")
    page.locator(f"{form} select[name=provider]").select_option(ada.get_attribute("value"))
    page.locator(f"{form} select[name=location]").select_option(label=LOCATION["name"])
    fill(page, form, {"date": day, "start": "09:00", "minutes": "45"})
    submit(page, form)
    expect(page.locator("[data-testid=notice]")).to_contain_text("Appointment booked.")
    return page.url.split("?")[0], page.locator("[data-testid=warnings]").inner_text()


def _book_three_and_check_in(page: Page, base: str) -> str:
    booked = [_book(page, base, day) for day in ("2025-04-07", "2025-04-09", "2025-04-11")]
    said = [warnings for _, warnings in booked]  # the booked visits count against the two
    assert "Authorization A-2025-01: visit 1 of 2; 1 left." in said[0], said
    assert "Authorization A-2025-01: visit 2 of 2; 0 left." in said[1], said
    assert "Authorization A-2025-01: visit 3 of 2: beyond the limit." in said[2], said
    first = booked[0][0]
    page.goto(first)
    page.click("text=Check in")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=status]")).to_have_text("checked-in")
    visit = page.locator("a[href^='/visits/']").first.get_attribute("href")
    assert visit, "the checked-in appointment links to its visit"
    return visit


def _document_and_sign(page: Page, base: str, visit: str) -> None:
    page.goto(base + visit)
    page.select_option("[data-testid=note_type]", "daily")
    for row, (code, minutes) in enumerate([("97530", "38"), ("97535", "9")]):
        page.fill(f"[data-testid=code-{row}]", code)
        page.fill(f"[data-testid=minutes-{row}]", minutes)
    expect(page.locator("[data-testid=units-97530]")).to_have_text("2")  # 47 timed minutes:
    expect(page.locator("[data-testid=units-97535]")).to_have_text("1")  # 3 units by CMS's rule
    for field, value in NOTE.items():
        page.fill(f"[data-testid=field-{field}]", value)
    page.click("[data-testid=sign-button]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("Note signed")


def _bill(page: Page, base: str) -> None:
    """The biller builds and scrubs, the approver approves, the biller submits."""
    _as(page, base, "bill")
    page.goto(base + "/remittances")
    page.click("[data-testid=build-claims]")
    expect(page.locator("[data-testid=build-job]")).to_have_attribute("data-state", "done")
    page.goto(base + "/queues/ready")
    page.locator("[data-testid^=claim-] a").first.click()
    page.click("[data-testid=rescrub-button]")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("ready")
    claim = page.url
    _as(page, base, "april")
    page.goto(claim)
    page.click("[data-testid=approve-button]")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("approved")
    _as(page, base, "bill")
    page.goto(base + "/queues/approved")
    page.click("[data-testid=submit-batch]")
    expect(page.locator("[data-testid=submit-job]")).to_have_attribute("data-state", "done")
    expect(page.locator("main")).to_contain_text("1 claim(s) sent in 1 file(s).")


def _segments(folder: Path) -> list[str]:
    files = [f for f in folder.rglob("*") if f.is_file() and b"ST*837*" in f.read_bytes()]
    assert len(files) == 1, files
    text = files[0].read_text()
    terminator = text[105]  # ISA is fixed width: its segment terminator is character 106
    return [s.strip() for s in text.split(terminator) if s.strip()]


def _assert_the_837p_carries_the_day(segments: list[str]) -> None:
    expected = [
        f"NM1*85*2*Riverbend Therapy LLC*****XX*{CLINIC['npi']}",  # 2010AA billing provider
        "N4*Springfield*MA*011031234",
        "REF*EI*042103594",  # its tax ID
        "NM1*87*2", "N3*PO Box 500", "N4*Springfield*MA*011010500",  # 2010AB pay-to
        "SBR*P*18*******MB",  # Medicare primary, the patient the insured
        f"NM1*IL*1*Finch*Nora****MI*{MBI.replace('-', '')}",  # the MBI as subscriber ID
        "DMG*D8*19460921*F",
        "NM1*PR*2*Medicare Part B*****PI*04412",
        "REF*G1*A-2025-01",  # the authorization approved
        "HI*ABK:M6281*ABF:R2689",  # the plan of care's diagnoses
        f"NM1*DN*1*Ng*Sam****XX*{PHYSICIAN_NPI}",  # the referring physician
        f"NM1*82*1*Ng*Ada****XX*{THERAPIST_NPI}",  # 2310B rendering provider
        "NM1*77*2*Riverbend East", "N3*25 Elm St", "N4*Chicopee*MA*010132345",  # 2310C
        "DTP*472*D8*20250407",
    ]  # fmt: skip
    missing = [segment for segment in expected if segment not in segments]
    assert not missing, (missing, segments)
    claim = next(s for s in segments if s.startswith("CLM*"))
    assert claim.split("*")[2] == "235" and claim.split("*")[5] == "11:B:1", claim
    lines = [s.split("*") for s in segments if s.startswith("SV1*")]
    # 38 + 9 timed minutes: 3 units by the CMS method, 2 of 97530 and 1 of 97535, with GO
    assert [(line[1], line[2], line[3], line[4]) for line in lines] == [
        ("HC:97530:GO", "160", "UN", "2"), ("HC:97535:GO", "75", "UN", "1")
    ], lines  # fmt: skip


def _walk_the_first_day(page: Page, base: str) -> None:
    first_run(page, base, CLINIC)
    set_up_the_clinic(page, base)
    add_payers_and_fees(page, base)
    _as(page, base, "bill")
    patient = _register_the_patient(page, base)
    _as(page, base, "ada")
    _referral_and_plan(page, base, patient)
    _as(page, base, "bill")
    _authorize(page, base)
    visit = _book_three_and_check_in(page, base)
    _as(page, base, "ada")
    _document_and_sign(page, base, visit)
    _bill(page, base)


@pytest.fixture(scope="module")
def first_day_837p(
    live_server: LiveServer, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    """The first day walked once, from an empty database, in its own browser context: the
    segments of the 837P the clinic sent (the walk's own checks fail here, as errors)."""
    folder = tmp_path_factory.mktemp("first-day")
    url = f"sqlite:///{folder / 'first-day.db'}"
    app = create_app(Settings(data_dir=folder, database_url=url, secret_key="e2e"), today=TODAY)
    app.state.first_run_code = SETUP_CODE
    live_server.serve(app)
    context = browser.new_context()
    context.set_default_timeout(15_000)
    try:
        _walk_the_first_day(context.new_page(), live_server.url)
        yield _segments(folder / "clearinghouse")
    finally:
        context.close()
        live_server.serve(None)
        app.state.db.dispose()


def test_a_new_clinics_first_day(first_day_837p: list[str]) -> None:
    _assert_the_837p_carries_the_day(first_day_837p)


def test_the_837p_names_the_secondary_coverage(first_day_837p: list[str]) -> None:
    assert any(segment.startswith("SBR*S*18*") for segment in first_day_837p)  # 2320
    assert "NM1*IL*1*Finch*Nora****MI*ACM-55012" in first_day_837p  # 2330A
    assert "NM1*PR*2*Acme Health PPO*****PI*ACME1" in first_day_837p  # 2330B
