"""Issue 11 items 1-3 in a real browser: separation of duties in names, and bulk approval.

Dana Dual (a biller who is also an approver) changes a claim's line and changes it back; the biller
then saves the same line with nothing changed. Dana still may not approve it: the Approve button is
disabled and says why in her name, and names who may. The administrator, who lacks the approver
role, is told so. On the awaiting-approval queue Dana ticks two claims, changes one of them in
another tab before sending, and the queue approves the one and refuses the other by name.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page
from sqlalchemy import select

from otbill.services.clinic import setup as clinic
from otbill.storage.tables import ClaimRow, ClinicRow
from support.browserkit import log_in
from support.webkit import PASSWORDS


def _add_dana(app) -> None:
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClinicRow.id).where(ClinicRow.code == "DEMO")).one()
    with app.state.db.unit_of_work(clinic_id) as uow:
        clinic.add_user(uow, username="dual", full_name="Dana Dual", password="dual-pass-1",
                        roles=["biller", "approver"])  # fmt: skip


def _ready(app, n: int) -> list[ClaimRow]:
    with app.state.db.session() as session:
        query = select(ClaimRow).where(ClaimRow.status == "ready").order_by(ClaimRow.id)
        return list(session.scalars(query.limit(n)))


def _status(app, claim_id: int) -> str:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id).status


def _save_units(page: Page, url: str, units: str) -> None:
    page.goto(url)
    page.fill("[aria-label='Units of line 1']", units)
    page.click("[data-testid=save-line-1]")
    page.wait_for_load_state("networkidle")
    assert "Line saved" in page.inner_text("[data-testid=flash]")


def test_separation_of_duties_and_bulk_approval_in_the_browser(browser, live):
    app = live.app
    _add_dana(app)
    claim, first, second = _ready(app, 3)
    url = f"{live.url}/claims/{claim.id}"

    danas = browser.new_context()  # one session, two tabs
    dana = danas.new_page()
    log_in(dana, live, "dual", "dual-pass-1")
    dana.goto(url)
    assert dana.is_enabled("[data-testid=approve-button]")  # she has changed nothing yet
    units = dana.input_value("[aria-label='Units of line 1']")
    _save_units(dana, url, str(int(units) + 1))
    _save_units(dana, url, units)  # and back as it was

    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(url)
    rows = biller.locator("[data-testid=history-row]").count()
    biller.click("[data-testid=save-line-1]")  # a save that changes nothing...
    biller.wait_for_load_state("networkidle")
    assert "Nothing changed" in biller.inner_text("[data-testid=flash]")
    biller.goto(url)
    assert biller.locator("[data-testid=history-row]").count() == rows  # ...records nothing

    dana.goto(url)
    assert dana.is_disabled("[data-testid=approve-button]")
    why = dana.inner_text("[data-testid=approve-why]")
    assert re.match(r"You \(Dana Dual\) edited line 1 on \d+ \w+ \d{4}, so someone else", why)
    who = dana.inner_text("[data-testid=who-may-approve]")
    assert "Al Approver" in who and "Dana Dual" not in who
    assert not re.search(r"\buser \d+", dana.content())

    admin = browser.new_page()
    log_in(admin, live, "admin", PASSWORDS["admin"])
    admin.goto(url)
    assert admin.is_disabled("[data-testid=approve-button]")
    assert "Approval needs the approver role, which Clinic Admin does not hold" in admin.inner_text(
        "[data-testid=approve-why]"
    )

    dana.goto(f"{live.url}/queues/awaiting-approval")
    assert dana.is_disabled(f"[data-testid=pick-{claim.number}]")
    assert "Dana Dual" in dana.inner_text(f"[data-testid=why-not-{claim.number}]")
    assert dana.is_visible(f"[data-testid=findings-{first.number}]")
    dana.check(f"[data-testid=pick-{first.number}]")
    dana.check(f"[data-testid=pick-{second.number}]")

    other_tab = danas.new_page()  # Dana changes the second claim before she sends
    second_url = f"{live.url}/claims/{second.id}"
    other_tab.goto(second_url)
    was = other_tab.input_value("[aria-label='Units of line 1']")
    _save_units(other_tab, second_url, str(int(was) + 1))
    _save_units(other_tab, second_url, was)

    dana.click("[data-testid=approve-selected]")
    dana.wait_for_load_state("networkidle")
    assert urlsplit(dana.url).path == "/queues/awaiting-approval"  # redirected after the post
    summary = dana.inner_text("[data-testid=flash]")
    assert summary.startswith("1 claim approved. 1 refused:")
    assert f"claim {second.number}: you (Dana Dual) edited line 1" in summary
    assert (_status(app, first.id), _status(app, second.id)) == ("approved", "ready")
    danas.close()
