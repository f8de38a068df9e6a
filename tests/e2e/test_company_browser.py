"""In a real browser: a billing company's user logs in with the company's code, sees their three
clinics on the company dashboard, opens the cross-clinic queue, switches into one clinic and opens
a claim; a clinic's own user cannot open another clinic's claim."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.services.clinic import companies
from otbill.services.visits import record as visits
from otbill.storage.tables import ClaimRow
from support.browserkit import log_in
from support.claimflow import build_all, record_visit
from support.clinickit import seed_clinic
from support.webkit import PASSWORDS, app_on_copy

PASSWORD = "company-pass-1"


@pytest.fixture
def company_live(live_server, demo_template, tmp_path):
    """The demo clinic plus EAST and WEST, each with a ready claim; ACME's boss holds all three."""
    app = app_on_copy(demo_template, tmp_path)
    db = app.state.db
    claims = {}
    companies.create_company(db, "ACME", "Acme OT Billing")
    boss = companies.add_company_user(db, "ACME", "boss", "Bo Boss", PASSWORD, owner=True)
    companies.grant_clinic(db, boss, 1, ["biller"], actor_id=None, by="test")
    for n, code in enumerate(("EAST", "WEST"), start=1):
        ids = seed_clinic(db, code, n)
        record_visit(
            db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation"
        )
        build_all(db, ids)
        companies.grant_clinic(db, boss, ids.clinic, ["biller"], actor_id=None, by="test")
        with db.unit_of_work(ids.clinic) as uow:
            claims[code] = uow.records.first(ClaimRow, ClaimRow.status == "ready")
    yield live_server.serve(app), claims
    live_server.serve(None)
    db.dispose()


def test_company_user_works_across_three_clinics(page, company_live):
    live, claims = company_live
    page.goto(f"{live.url}/login")
    page.fill("input[name=clinic]", "ACME")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}/company")
    rows = page.locator("[data-testid=company-dashboard] tbody tr")
    assert rows.count() == 3
    assert {rows.nth(i).get_attribute("data-clinic") for i in range(3)} == {"DEMO", "EAST", "WEST"}
    page.click("text=Work queue across clinics")
    page.wait_for_url("**/company/queue")
    page.click("text=Ready to approve")
    page.wait_for_url("**/company/queue?tab=ready")
    page.select_option("select[name=clinic]", label="Hands On OT WEST (WEST)")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**clinic=*")
    west = claims["WEST"]
    assert "Hands On OT WEST (WEST)" in page.locator("[data-testid=company-queue]").inner_text()
    page.click(f"text=Open claim {west.number}")
    page.wait_for_url(f"{live.url}/claims/{west.id}")
    assert west.number in page.content()
    response = page.goto(f"{live.url}/claims/{claims['EAST'].id}")  # not the clinic worked in now
    assert response is not None and response.status == 404
    page.click("[data-testid=nav-company]")  # back to every clinic
    page.wait_for_url(f"{live.url}/company")
    assert "· working here" in page.locator("tr[data-clinic=WEST]").inner_text()


def test_a_clinic_user_cannot_open_another_clinics_claim(page, company_live):
    live, claims = company_live
    log_in(page, live, "biller", PASSWORDS["biller"])
    response = page.goto(f"{live.url}/claims/{claims['EAST'].id}")
    assert response is not None and response.status == 404
    assert "Not found" in page.content()
