"""In a real browser: logging in, and what each role may not open."""

from __future__ import annotations

from support.browserkit import log_in
from support.webkit import PASSWORDS


def test_anonymous_user_is_sent_to_login(page, live):
    page.goto(f"{live.url}/queues")
    assert page.url.startswith(f"{live.url}/login")
    assert page.locator("h1").inner_text() == "Log in"


def test_wrong_password_shows_a_plain_message(page, live):
    log_in(page, live, "biller", "wrong")
    assert "user name or password is wrong" in page.content()


def test_therapist_cannot_open_approval_or_admin_pages(page, live):
    log_in(page, live, "rcole", PASSWORDS["rcole"])
    for path in ("/queues/awaiting-approval", "/admin"):
        response = page.goto(f"{live.url}{path}")
        assert response is not None and response.status == 403
        assert "Not allowed" in page.content()


def test_a_form_post_without_csrf_token_is_refused(page, live):
    log_in(page, live, "biller", PASSWORDS["biller"])
    status = page.evaluate(
        """async () => (await fetch('/logout', {method: 'POST', body: new URLSearchParams({}),
                         redirect: 'manual'})).status"""
    )
    assert status == 403
