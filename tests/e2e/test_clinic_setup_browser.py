"""A new clinic's first hour in a browser: an empty database leads to the first-run page; the
clinic and its admin are created; the admin logs in and adds a location, an OTR/L, a COTA
supervised by her, and Medicare with a fee row shown beside the charge master."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from otbill.settings import Settings
from otbill.web.app import create_app


@pytest.fixture
def empty(live_server, tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url, secret_key="e2e"))
    app.state.first_run_code = "e2e-setup-code"
    yield live_server.serve(app)
    live_server.serve(None)
    app.state.db.dispose()


def _fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f'{form} [name="{name}"]', value)


def _first_run(page: Page, base: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(base + "/setup")
    _fill(page, 'form[action="/setup"]', {
        "setup_code": "e2e-setup-code",
        "code": "NORTH", "name": "Northside Therapy LLC", "tax_id": "04-2103594",
        "npi": "1234567893", "line1": "1 Main St", "city": "Boston", "state": "MA",
        "zip": "02110", "username": "owner", "full_name": "Olive Owner",
        "password": "owner-password", "password_again": "owner-password",
    })  # fmt: skip
    page.click("text=Create the clinic")
    expect(page.locator('input[name="username"]')).to_be_visible()  # the login form
    page.fill('input[name="clinic"]', "NORTH")
    page.fill('input[name="username"]', "owner")
    page.fill('input[name="password"]', "owner-password")
    page.click('button:has-text("Log in")')
    expect(page.locator("h1")).to_have_text("Clinic setup")


def _add_people_and_place(page: Page) -> None:
    _fill(page, 'form[action="/admin/locations"]', {
        "name": "Main clinic", "street": "1 Main St", "city": "Boston", "state": "MA",
        "zip": "02110", "place_of_service": "11",
    })  # fmt: skip
    page.click("text=Add location")
    expect(page.locator("#locations")).to_contain_text("1 Main St, Boston, MA 02110")
    therapist = {"first_name": "Ada", "last_name": "Ng", "npi": "1245319599",
                 "license_state": "MA", "license_number": "OT-1234"}  # fmt: skip
    _fill(page, 'form[action="/admin/providers"]', therapist)
    page.select_option('form[action="/admin/providers"] [name="credential"]', "OTR/L")
    page.click("text=Add provider")
    expect(page.locator("#providers")).to_contain_text("OT-1234")
    cota = {"first_name": "Cy", "last_name": "Ko", "npi": "1003000126"}
    _fill(page, 'form[action="/admin/providers"]', cota)
    page.select_option('form[action="/admin/providers"] [name="credential"]', "COTA")
    page.click("text=Add provider")
    expect(page.locator("#providers-error")).to_contain_text("needs a supervising therapist")
    page.select_option('form[action="/admin/providers"] [name="supervisor_id"]',
                       label="Ada Ng, OTR/L")  # fmt: skip
    page.click("text=Add provider")
    expect(page.locator("#providers tbody")).to_contain_text("Ada Ng")
    expect(page.locator("#providers tbody tr")).to_have_count(2)


def _add_medicare_with_a_fee(page: Page, base: str) -> None:
    page.goto(base + "/admin")
    _fill(page, 'form[action="/admin/payers"]', {
        "name": "Medicare Part B", "payer_code": "04412", "timely_filing_days": "365",
    })  # fmt: skip
    page.select_option('form[action="/admin/payers"] [name="profile"]', "medicare")
    page.click("text=Add payer")
    expect(page.locator("#payers")).to_contain_text("Medicare Part B")
    _fill(page, 'form[action="/admin/fees"]', {"code": "97530", "charge": "80.00",
                                                "allowed": "36.30"})  # fmt: skip
    page.select_option('form[action="/admin/fees"] [name="payer_id"]', label="Medicare Part B")
    page.click("text=Save fee")
    expect(page.locator("#fees")).to_contain_text("97530")
    page.goto(base + "/admin/setup#fees")
    expect(page.locator("#fees")).to_contain_text("$36.30")


def test_first_day_setup_in_a_browser(empty, page: Page) -> None:
    _first_run(page, empty.url)
    _add_people_and_place(page)
    _add_medicare_with_a_fee(page, empty.url)
