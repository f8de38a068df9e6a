"""Browser steps shared by the first-day tests: forms are filled by field name and submitted by
their button, and every step checks the page's answer before the next one starts."""

from __future__ import annotations

from playwright.sync_api import Page, expect

__all__ = ["fill", "first_run", "log_in_to", "submit"]


def fill(page: Page, form: str, values: dict[str, str]) -> None:
    """Type ``values`` into the fields of ``form`` (a CSS selector), by field name."""
    for name, value in values.items():
        page.fill(f'{form} [name="{name}"]', value)


def submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def log_in_to(page: Page, base: str, clinic: str, username: str, password: str) -> None:
    """Log in at ``base`` as ``username`` of ``clinic`` (a new clinic's login names its code)."""
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill('input[name="clinic"]', clinic)
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.click('button:has-text("Log in")')
    page.wait_for_load_state("networkidle")


#: The first-run code the tests' apps are given (``otbill serve`` prints a random one).
SETUP_CODE = "e2e-setup-code"


def first_run(page: Page, base: str, clinic: dict[str, str]) -> None:
    """An empty database sends ``/`` to the first-run page, which creates ``clinic`` (its fields
    by name: code, name, tax ID, NPI, address, pay-to, and the admin's login) and its admin; the
    app's first-run code is :data:`SETUP_CODE`."""
    page.goto(base + "/")
    expect(page).to_have_url(base + "/setup")
    fill(page, 'form[action="/setup"]', {"setup_code": SETUP_CODE, **clinic})
    page.click("text=Create the clinic")
    expect(page.locator('input[name="username"]')).to_be_visible()  # the login form
    log_in_to(page, base, clinic["code"], clinic["username"], clinic["password"])
    page.goto(base + "/admin/setup")
    expect(page.locator("h1")).to_have_text("Clinic setup")
