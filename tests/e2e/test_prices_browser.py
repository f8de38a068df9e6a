"""In a real browser: a visitor who is not logged in reads the clinic's price list and its PDF;
a biller finds the superbill and Good Faith Estimate forms on a patient's page and gets the PDFs
they ask for."""

from __future__ import annotations

import re

from support.browserkit import log_in
from support.pdftext import pdf_text
from support.webkit import PASSWORDS


def test_visitor_reads_the_price_list_without_logging_in(page, live):  # type: ignore[no-untyped-def]
    page.goto(f"{live.url}/prices")
    assert page.url.endswith("/prices")  # not sent to the login page
    row = page.locator("[data-testid=price-97530]")
    assert "$70.00" in row.inner_text() and "each 15 minutes" in row.inner_text()
    assert page.locator("nav").count() == 0
    href = page.locator("[data-testid=prices-pdf]").get_attribute("href")
    response = page.request.get(f"{live.url}{href}")
    assert response.headers["content-type"] == "application/pdf"
    assert "$70.00" in pdf_text(response.body())
    page.goto(f"{live.url}/patients")
    assert "/login" in page.url  # the rest of the clinic stays closed


def test_biller_prints_a_superbill_and_an_estimate(page, live):  # type: ignore[no-untyped-def]
    log_in(page, live, "biller", PASSWORDS["biller"])
    page.goto(f"{live.url}/patients")
    href = page.locator("tbody tr td a").first.get_attribute("href") or ""
    assert re.search(r"/patients/\d+$", href), href
    page.goto(f"{live.url}{href}")
    form = page.locator("[data-testid=superbill-form]")
    form.locator("[name=from]").fill("2025-01-01")
    form.locator("[name=to]").fill("2025-03-31")
    action = form.get_attribute("action")
    start = form.locator("[name=from]").input_value()
    end = form.locator("[name=to]").input_value()
    response = page.request.get(f"{live.url}{action}?from={start}&to={end}")
    assert response.status == 200
    assert "Superbill" in pdf_text(response.body())
    assert page.locator("[data-testid=gfe-form]").count() == 1  # the demo's patients have plans
    gfe = page.locator("[data-testid=gfe-form]").get_attribute("action")
    estimate = page.request.get(f"{live.url}{gfe}?services=97530x2&visits=4")
    assert estimate.status == 200
    assert "$560.00" in pdf_text(estimate.body())  # $70.00 x 2 units x 4 visits
