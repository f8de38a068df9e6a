"""The clinic the first-day browser test sets up, and the admin's steps that set it up: a
location, logins for a therapist (OTR/L), a COTA, a biller and an approver, the two providers
linked to their logins, Medicare and a commercial payer with a fee row per code."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from support.firstday import fill, submit

__all__ = [
    "CLINIC", "COTA_NPI", "LOCATION", "PASSWORD", "THERAPIST_NPI",
    "add_payers_and_fees", "set_up_the_clinic",
]  # fmt: skip

CLINIC = {
    "code": "RIVER", "name": "Riverbend Therapy LLC", "tax_id": "04-2103594",
    "npi": "1234567893", "taxonomy": "261QR0400X",
    "line1": "100 River Rd", "city": "Springfield", "state": "MA", "zip": "01103-1234",
    "pay_line1": "PO Box 500", "pay_city": "Springfield", "pay_state": "MA",
    "pay_zip": "01101-0500", "username": "owner", "full_name": "Olive Owner",
    "password": "owner-password", "password_again": "owner-password",
}  # fmt: skip
LOCATION = {"name": "Riverbend East", "street": "25 Elm St", "city": "Chicopee", "state": "MA",
            "zip": "01013-2345", "place_of_service": "11"}  # fmt: skip
THERAPIST_NPI, COTA_NPI = "1245319599", "1003000126"
PASSWORD = "first-day-password"
USERS = {"ada": ("Ada Ng", "therapist"), "cy": ("Cy Ko", "therapist"),
         "bill": ("Bill Baker", "biller"), "april": ("April Park", "approver")}  # fmt: skip
FEES = {"97530": ("80.00", "36.30", "52.00"), "97535": ("75.00", "33.10", "48.00")}


def _add_users(page: Page, base: str) -> None:
    page.goto(base + "/admin")
    for username, (full_name, role) in USERS.items():
        fill(page, 'form[action="/admin/users"]', {"username": username, "full_name": full_name,
                                                   "password": PASSWORD})  # fmt: skip
        page.check(f'form[action="/admin/users"] input[name="roles"][value="{role}"]')
        submit(page, 'form[action="/admin/users"]')
        expect(page.locator("main")).to_contain_text(username)


def _add_provider(page: Page, values: dict[str, str], credential: str, login: str) -> None:
    form = 'form[action="/admin/providers"]'
    fill(page, form, values)
    page.select_option(f'{form} [name="credential"]', credential)
    page.select_option(f'{form} [name="user_id"]', label=login)
    if credential == "COTA":
        page.select_option(f'{form} [name="supervisor_id"]', label="Ada Ng, OTR/L")
    submit(page, form)
    expect(page.locator("#providers tbody")).to_contain_text(values["npi"])


def set_up_the_clinic(page: Page, base: str) -> None:
    fill(page, 'form[action="/admin/locations"]', LOCATION)
    submit(page, 'form[action="/admin/locations"]')
    expect(page.locator("#locations")).to_contain_text("25 Elm St")
    _add_users(page, base)
    page.goto(base + "/admin/setup")
    _add_provider(page, {"first_name": "Ada", "last_name": "Ng", "npi": THERAPIST_NPI,
                         "license_state": "MA", "license_number": "OT-1234"},
                  "OTR/L", "ada (Ada Ng)")  # fmt: skip
    _add_provider(page, {"first_name": "Cy", "last_name": "Ko", "npi": COTA_NPI,
                         "license_state": "MA", "license_number": "OTA-77"},
                  "COTA", "cy (Cy Ko)")  # fmt: skip
    expect(page.locator("#providers tbody tr")).to_have_count(2)
    cota = page.locator("#providers tbody tr", has_text=COTA_NPI)
    expect(cota).to_contain_text("Ada Ng")  # her supervisor


def add_payers_and_fees(page: Page, base: str) -> None:
    page.goto(base + "/admin")
    for name, code, profile in [("Medicare Part B", "04412", "medicare"),
                                ("Acme Health PPO", "ACME1", "commercial-in-network")]:  # fmt: skip
        fill(page, 'form[action="/admin/payers"]', {"name": name, "payer_code": code,
                                                    "timely_filing_days": "365"})  # fmt: skip
        page.select_option('form[action="/admin/payers"] [name="profile"]', profile)
        submit(page, 'form[action="/admin/payers"]')
        expect(page.locator("#payers")).to_contain_text(name)
    for code, (charge, medicare, acme) in FEES.items():
        for payer, allowed in [("Medicare Part B", medicare), ("Acme Health PPO", acme)]:
            fill(page, 'form[action="/admin/fees"]', {"code": code, "charge": charge,
                     "allowed": allowed, "effective_from": "2025-01-01"})  # fmt: skip
            page.select_option('form[action="/admin/fees"] [name="payer_id"]', label=payer)
            submit(page, 'form[action="/admin/fees"]')
    page.goto(base + "/admin/setup#fees")
    expect(page.locator("#fees")).to_contain_text("$36.30")
    expect(page.locator("#fees")).to_contain_text("$48.00")
