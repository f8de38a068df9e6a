"""The owner's PDF in a real browser (issue 14): "Build the PDF" on the owner's numbers answers at
once with the job's page, which htmx updates while the PDF builds, then the download."""

from __future__ import annotations

import time
from typing import Any

import pytest

from otbill.pdf import owner_reports as owner_pdf
from support.browserkit import log_in
from support.webkit import PASSWORDS


def test_build_the_owner_pdf_shows_progress_then_the_download(
    browser: Any, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = owner_pdf.render_owner_reports

    def slow(*args: Any) -> bytes:
        time.sleep(1.5)  # long enough to see the progress page poll
        return render(*args)

    monkeypatch.setattr("otbill.services.views.owner.render_owner_reports", slow)
    owner = browser.new_page()
    log_in(owner, live, "approver", PASSWORDS["approver"])
    owner.goto(f"{live.url}/reports/owner")
    owner.click("[data-testid=build-owner-pdf-button]")
    owner.wait_for_url("**/reports/owner/pdf/**")
    assert owner.locator("[data-testid=owner-pdf-job]").get_attribute("data-state") != "done"
    link = owner.locator("[data-testid=owner-pdf-download]")
    link.wait_for(timeout=60_000)  # swapped in by htmx
    with owner.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("owner-numbers-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
