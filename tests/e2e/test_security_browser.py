"""Issue 11, items 23 and 24 in a real browser: the pages work under the Content-Security-Policy
with nothing refused, and a session ended at logout cannot be brought back with its cookie."""

from __future__ import annotations

from support.browserkit import log_in
from support.webkit import PASSWORDS

PAGES = [
    "/queues", "/dashboard", "/denials", "/remittances", "/audit", "/admin", "/admin/sessions",
    "/admin/setup", "/claims", "/patients", "/patients/new", "/schedule", "/authorizations",
    "/plans", "/rules", "/api/docs", "/account/password",
]  # fmt: skip


def test_pages_run_under_the_csp_with_nothing_refused(page, live) -> None:  # type: ignore[no-untyped-def]
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live, "admin", PASSWORDS["admin"])
    for path in PAGES:
        page.goto(f"{live.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(path), page.url
    log_in(page, live, "rcole", PASSWORDS["rcole"])  # a therapist's day and a visit form
    for path in ("/therapist", "/visits/new"):
        page.goto(f"{live.url}{path}")
        page.wait_for_load_state("networkidle")
    assert refused == [], refused[:3]


def test_a_copied_cookie_is_worthless_after_logout(browser, page, live) -> None:  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    cookies = page.context.cookies()
    assert [c["name"] for c in cookies] == ["otbill_session"] and cookies[0]["httpOnly"]
    page.goto(f"{live.url}/queues")
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state("networkidle")
    thief = browser.new_context()
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    stolen.goto(f"{live.url}/queues")
    assert "/login" in stolen.url
    thief.close()
