"""In a real browser: the owner's PDF, once removed by the retention sweep, is no longer offered;
its page says when it was removed and how long the files are kept, and links to build it again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill import clock
from otbill.services.jobs.report_retention import sweep_reports
from support.browserkit import log_in
from support.webkit import PASSWORDS


def test_the_owner_pdf_page_says_when_its_file_was_removed(browser: Any, live: Any) -> None:
    owner = browser.new_page()
    log_in(owner, live, "approver", PASSWORDS["approver"])
    owner.goto(f"{live.url}/reports/owner")
    owner.click("[data-testid=build-owner-pdf-button]")
    owner.wait_for_url("**/reports/owner/pdf/**")
    owner.locator("[data-testid=owner-pdf-download]").wait_for(timeout=60_000)
    settings = live.app.state.settings
    later = clock.utcnow() + dt.timedelta(days=settings.report_retention_days + 1)
    assert sweep_reports(
        live.app.state.db, settings.data_dir, settings.report_retention_days, later
    )
    owner.reload()
    status = owner.locator("[data-testid=job-status]").inner_text()
    assert f"was removed on {later:%B %-d, %Y at %H:%M} UTC" in status
    assert "kept for 30 days" in status
    assert owner.locator("[data-testid=owner-pdf-download]").count() == 0
    owner.click("text=build it again")
    owner.wait_for_url(f"{live.url}/reports/owner")
