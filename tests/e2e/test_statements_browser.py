"""Statements in a real browser: the due list, "Run statements" answering at once with a progress
page that htmx updates while the run prints, then the files; the hold from the patient page."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otbill.pdf import statement as statement_pdf
from otbill.services.patient_account import post_opening_balance
from support.browserkit import log_in
from support.webkit import PASSWORDS, patient_of


def test_run_statements_shows_progress_then_the_files_and_the_hold_flag(
    browser: Any, live: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = patient_of(live.app)
    with live.app.state.db.unit_of_work(1) as uow:
        post_opening_balance(uow, patient_id=patient, amount=Decimal("88.10"),
                             on=dt.date(2024, 12, 1), source="old system", source_key="b-1")  # fmt: skip
    page_of = statement_pdf._page

    def slow(*args: Any) -> None:
        time.sleep(1.5)  # long enough to see the progress page poll
        page_of(*args)

    monkeypatch.setattr(statement_pdf, "_page", slow)
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.click("nav >> text=Statements")
    assert "$88.10" in biller.inner_text("[data-testid=due-list]")
    biller.click("[data-testid=run-statements-button]")
    biller.wait_for_url("**/statements/jobs/**")
    assert biller.locator("[data-testid=statement-job]").get_attribute("data-state") != "done"
    biller.locator("[data-testid=job-files]").wait_for(timeout=60_000)  # swapped in by htmx
    assert "sent" in biller.inner_text("[data-testid=job-status]")
    biller.goto(f"{live.url}/patients/{patient}")
    flag = biller.locator("[data-testid=statement-flag]")  # loaded by htmx
    flag.wait_for()
    assert "last sent" in flag.inner_text()
    biller.click("[data-testid=statement-flag] >> a")
    biller.fill("input[name=reason]", "disputing the bill")
    biller.click("[data-testid=set-hold]")
    assert "On hold: disputing the bill" in biller.inner_text("[data-testid=hold-status]")
