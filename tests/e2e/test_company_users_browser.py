"""In a real browser: a billing company's owner deactivates a user of the company on the grants
page (the user is told nothing works: their next page is the login) and reactivates them, then
changes their own password and logs in again with it."""

from __future__ import annotations

import pytest

from otbill.services.clinic import companies
from support.webkit import app_on_copy

PASSWORD = "company-pass-1"
NEW = "company-pass-2-new"


@pytest.fixture
def company_live(live_server, demo_template, tmp_path):
    app = app_on_copy(demo_template, tmp_path)
    db = app.state.db
    companies.create_company(db, "ACME", "Acme OT Billing")
    boss = companies.add_company_user(db, "ACME", "boss", "Bo Boss", PASSWORD, owner=True)
    clerk = companies.add_company_user(db, "ACME", "clerk", "Cle Rk", PASSWORD, owner=False)
    for user in (boss, clerk):
        companies.grant_clinic(db, user, 1, ["biller"], actor_id=None, by="test")
    yield live_server.serve(app)
    live_server.serve(None)
    db.dispose()


def _log_in(page, live, username: str, password: str) -> None:
    page.goto(f"{live.url}/login")
    page.fill("input[name=clinic]", "ACME")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_the_owner_deactivates_a_user_and_changes_their_own_password(page, browser, company_live):
    live = company_live
    clerk_context = browser.new_context()
    clerk = clerk_context.new_page()
    _log_in(clerk, live, "clerk", PASSWORD)
    clerk.wait_for_url(f"{live.url}/company")

    _log_in(page, live, "boss", PASSWORD)
    page.wait_for_url(f"{live.url}/company")
    page.click("text=Grant clinics and manage users")
    page.click("text=Deactivate clerk")
    page.wait_for_selector("text=clerk can no longer log in (1 session(s) ended).")
    clerk.goto(f"{live.url}/company")
    assert "/login" in clerk.url  # the clerk's session ended at once
    page.click("text=Reactivate clerk")
    page.wait_for_selector("text=clerk may log in again (1 clinic(s) still granted).")
    clerk_context.close()

    page.goto(f"{live.url}/company")
    page.click("text=Change your password")
    page.fill("input[name=current]", "not-my-password")
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW)
    page.click("form[action='/company/password'] button[type=submit]")
    page.wait_for_selector("text=Your password was not changed: current password: wrong")
    page.fill("input[name=current]", PASSWORD)
    page.fill("input[name=new]", NEW)
    page.fill("input[name=again]", NEW)
    page.click("form[action='/company/password'] button[type=submit]")
    page.wait_for_url("**/login?changed=1")
    _log_in(page, live, "boss", NEW)
    page.wait_for_url(f"{live.url}/company")
