"""A page of the owner's numbers downloads its own tables as a PDF in a real browser."""

from __future__ import annotations

from typing import Any

from support.browserkit import log_in
from support.pdftext import pdf_text
from support.webkit import PASSWORDS


def test_the_receivables_page_downloads_its_pdf(browser: Any, live: Any) -> None:
    owner = browser.new_page()
    log_in(owner, live, "approver", PASSWORDS["approver"])
    owner.goto(f"{live.url}/reports/owner/receivables")
    with owner.expect_download() as download:
        owner.click("[data-testid=owner-family-pdf]")
    assert download.value.suggested_filename.startswith("owner-receivables-")
    with open(download.value.path(), "rb") as pdf:
        words = pdf_text(pdf.read())
    assert "A/R aging by patient" in words and "Write-offs by reason" not in words
