"""In a real browser (issue 13): a cash patient with no insurance at all is registered as
self-pay, booked and checked in by the desk, seen by the therapist (codes, minutes and a signed
note, the page saying Self-pay), charged at the price list when claims are built, given the
prompt-pay discount for paying at the visit, pays by card reference, and owes $0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from otbill.services.payments.standing import standing
from otbill.services.self_pay import settings
from otbill.storage.tables import UserRow
from support.browserkit import log_in
from support.webkit import DEMO_TODAY, PASSWORDS, provider_of

NOTE = {
    "current_status": "Needs minimal assistance with upper-body dressing",
    "goals": "Independent upper-body dressing within 6 weeks",
    "response_to_treatment": "Tolerated well; shoulder reach improved",
    "medical_necessity": "Skilled grading of tasks and cueing are needed",
    "total_treatment_minutes": "40",
}


def _prompt_pay_rule(live) -> None:  # type: ignore[no-untyped-def]
    """The clinic's admin sets 10% off for paying at the visit, from 1 January 2025."""
    db = live.app.state.db
    with db.session() as session:
        admin = session.scalar(select(UserRow).where(UserRow.username == "admin"))
        clinic, user = admin.clinic_id, admin.id
    with db.unit_of_work(clinic, user) as uow:
        settings.set_prompt_pay(uow, 10, dt.date(2025, 1, 1))


def _entries(live, patient: int) -> list[tuple[str, Decimal]]:  # type: ignore[no-untyped-def]
    with live.app.state.db.unit_of_work(provider_of(live.app, "rcole").clinic_id) as uow:
        return [(e.kind, e.amount) for e in uow.patient_account.of_patients([patient])]


def test_a_cash_patient_is_seen_charged_discounted_and_pays(page, browser, live):  # type: ignore[no-untyped-def]
    _prompt_pay_rule(live)
    day = DEMO_TODAY.isoformat()
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/patients/new")
    for name, value in {"first_name": "Cass", "last_name": "Cashman", "dob": "1980-05-06",
                        "address_line1": "4 Pine St", "city": "Austin", "state": "TX",
                        "zip": "78702", "consent_on": "2025-03-31"}.items():  # fmt: skip
        page.fill(f"#patient-form [name={name}]", value)
    page.select_option("#patient-form select[name=sex]", "F")
    page.check("#patient-form [name=self_pay]")
    page.click("#patient-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Patient registered." in page.content()
    patient = int(page.url.split("?")[0].rstrip("/").split("/")[-1])

    page.goto(f"{live.url}/schedule/book")
    form = page.locator("#book-form")
    form.locator("select[name=patient]").select_option(str(patient))
    form.locator("select[name=provider]").select_option(str(provider_of(live.app, "rcole").id))
    form.locator("[name=date]").fill(day)
    form.locator("[name=start]").fill("11:00")
    form.locator("[name=minutes]").fill("45")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    warnings = page.locator("[data-testid=warnings]").inner_text()
    assert "Self-pay: no insurance on file" in warnings and "No active coverage" not in warnings
    page.click("text=Check in")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=status]").inner_text() == "checked-in"
    visit = page.locator("a[href^='/visits/']").first.get_attribute("href")
    visit_id = int(visit.split("/")[-1])

    therapist = browser.new_page()
    log_in(therapist, live, "rcole", PASSWORDS["rcole"])
    therapist.goto(f"{live.url}{visit}")
    assert therapist.inner_text("[data-testid=payer]").strip() == "Self-pay"
    therapist.fill("[data-testid=code-0]", "97530")
    therapist.fill("[data-testid=minutes-0]", "40")
    for field, value in NOTE.items():
        therapist.fill(f"[data-testid=field-{field}]", value)
    therapist.click("[data-testid=sign-button]")
    assert "Note signed" in therapist.content()

    page.goto(f"{live.url}/remittances")
    page.click("[data-testid=build-claims]")
    page.wait_for_selector("[data-testid=build-job][data-state=done]")
    assert "1 self-pay visit(s) charged to the patient's account" in page.content().replace(
        "&#39;", "'"
    )
    ((kind, charged),) = _entries(live, patient)
    assert kind == "self-pay-charge" and charged > 0  # 97530 × 3 at the price list

    page.goto(f"{live.url}/patients/{patient}/self-pay")
    page.click(f"[data-testid=prompt-pay-{visit_id}]")
    page.wait_for_load_state("networkidle")
    assert "Prompt-pay discount posted for the visit." in page.content()
    due = charged - (charged / 10).quantize(Decimal("0.01"))
    assert page.locator("[data-kind=discount]").count() == 1

    page.goto(f"{live.url}/patients/{patient}/payments")
    page.fill("[name=amount]", f"{due:.2f}")
    page.select_option("select[name=method]", "card")
    page.fill("[name=reference]", "AUTH-7781")
    page.fill("[name=last4]", "4242")
    page.click("text=Take payment")
    page.wait_for_load_state("networkidle")
    assert "Payment taken." in page.content()
    page.goto(f"{live.url}/patients/{patient}/payments")
    assert page.inner_text("#total") == "$0.00"
    with live.app.state.db.unit_of_work(provider_of(live.app, "rcole").clinic_id) as uow:
        assert standing(uow, patient).total == 0
