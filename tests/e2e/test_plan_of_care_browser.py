"""In a real browser: a therapist adds the certifying physician, records the referral and writes
the plan of care; the plan waits in the signature queue; the certification request downloads as
a PDF; the signature received date is recorded and the plan leaves the queue."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from support.browserkit import log_in
from support.clinickit import make_npi
from support.webkit import PASSWORDS

NPI = make_npi(4242)
DOCTOR = f"Sam Ng · NPI {NPI}"


def _submit(page, form: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _a_patient(page, live) -> str:  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/patients")
    href = page.locator("tbody tr td a").first.get_attribute("href") or ""
    page.context.clear_cookies()
    found = re.search(r"/patients/(\d+)", href)
    assert found, href
    return found.group(1)


def test_referral_plan_queue_pdf_and_signature(page, live):  # type: ignore[no-untyped-def]
    patient = _a_patient(page, live)
    log_in(page, live, "rcole", PASSWORDS["rcole"])
    page.goto(f"{live.url}/plans/physicians")
    for name, value in {"first_name": "Sam", "last_name": "Ng", "npi": NPI,
                        "fax": "512-555-0100"}.items():  # fmt: skip
        page.fill(f"#physician-form [name={name}]", value)
    _submit(page, "#physician-form")
    assert "Physician added." in page.content()

    page.goto(f"{live.url}/plans/patient/{patient}")
    page.locator("#referral-form select[name=physician_id]").select_option(label=DOCTOR)
    page.fill("#referral-form [name=referred_on]", "2025-03-20")
    page.fill("#referral-form [name=diagnoses]", "M62.81")
    _submit(page, "#referral-form")
    assert "Referral recorded." in page.content()
    plan_form = page.locator("#plan-form")
    plan_form.locator("select[name=physician_id]").select_option(label=DOCTOR)
    plan_form.locator("select[name=referral_id]").select_option(index=1)
    for name, value in {"start": "2025-03-25", "diagnoses": "M62.81",
                        "frequency_per_week": "2", "duration_weeks": "8",
                        "goals": "Dress independently in 8 weeks"}.items():  # fmt: skip
        plan_form.locator(f"[name={name}]").fill(value)
    _submit(page, "#plan-form")
    assert page.locator("[data-testid=plan-state]").inner_text() == "awaiting signature"
    plan_url = page.url.split("?")[0]
    plan_id = plan_url.rsplit("/", 1)[1]

    page.goto(f"{live.url}/plans")
    assert f'data-plan="{plan_id}"' in page.locator("#awaiting-signature").inner_html()

    page.goto(plan_url)
    pdf_href = page.locator("[data-testid=request-pdf]").get_attribute("href")
    response = page.request.get(f"{live.url}{pdf_href}")
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Sam Ng" in text and "Dress independently" in text and "Physician signature" in text

    page.fill("#signature-form [name=received_on]", "2025-03-28")
    _submit(page, "#signature-form")
    assert page.locator("[data-testid=certified-on]").inner_text() == "2025-03-28"
    page.goto(f"{live.url}/plans")
    assert f'data-plan="{plan_id}"' not in page.locator("main").inner_html()
