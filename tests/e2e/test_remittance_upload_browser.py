"""Uploading an 835 in a real browser: the upload answers at once with a progress page that htmx
updates while the file posts in a worker thread, and that ends with what was posted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from otbill.services.remittances import remittance_posting
from support.browserkit import log_in
from support.demoflow import simulated_835
from support.webkit import PASSWORDS


def test_upload_shows_progress_then_the_result(
    browser: Any, live: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data = simulated_835(live.app, tmp_path)
    era = tmp_path / name
    era.write_bytes(data)
    plan = remittance_posting.plan_claim

    def slow(*args: Any) -> Any:
        time.sleep(0.3)  # long enough to see the progress page poll
        return plan(*args)

    monkeypatch.setattr(remittance_posting, "plan_claim", slow)
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/remittances")
    biller.set_input_files("input[type=file][name=file]", str(era))
    biller.click("[data-testid=upload-835]")
    biller.wait_for_url("**/remittances/jobs/**")
    status = biller.locator("[data-testid=job-status]")
    assert status.count() == 1 and (
        "Posting:" in status.inner_text() or "Waiting" in status.inner_text()
    )
    other = browser.new_page()  # the server answers others meanwhile
    began = time.monotonic()
    other.goto(f"{live.url}/login")
    assert time.monotonic() - began < 3
    biller.locator("[data-testid=posting-report]").wait_for(timeout=60_000)  # swapped in by htmx
    assert biller.locator("[data-testid=posting-job]").get_attribute("data-state") == "done"
    assert int(biller.inner_text("[data-testid=count-matched]")) > 0
    biller.click("[data-testid=job-done-link]")
    assert biller.url.endswith("/remittances")
