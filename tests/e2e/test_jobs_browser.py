"""The jobs page in a real browser: an 835 posting shows up running with its progress bar, htmx
refreshes the list until the job is done, and the job's link opens what was posted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from otbill.services.remittances import remittance_posting
from support.browserkit import log_in
from support.demoflow import simulated_835
from support.webkit import PASSWORDS


def test_the_jobs_page_follows_a_posting_to_its_end(
    browser: Any, live: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data = simulated_835(live.app, tmp_path)
    era = tmp_path / name
    era.write_bytes(data)
    plan = remittance_posting.plan_claim

    def slow(*args: Any) -> Any:
        time.sleep(0.3)  # long enough to see the jobs page poll while it runs
        return plan(*args)

    monkeypatch.setattr(remittance_posting, "plan_claim", slow)
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/remittances")
    biller.set_input_files("input[type=file][name=file]", str(era))
    biller.click("[data-testid=upload-835]")
    biller.wait_for_url("**/remittances/jobs/**")
    job_id = biller.url.rsplit("/", 1)[1]
    biller.click("[data-testid=nav-jobs]")
    biller.wait_for_url("**/jobs")
    row = biller.locator(f"[data-testid=job-{job_id}]")
    assert row.get_attribute("data-state") in ("queued", "running")
    assert "835 posting" in row.inner_text()
    biller.locator(f"[data-testid=job-{job_id}][data-state=done]").wait_for(timeout=60_000)
    progress = biller.locator(f"[data-testid=job-progress-{job_id}]")
    assert progress.get_attribute("value") == "100"
    biller.click(f"[data-testid=job-link-{job_id}]")
    biller.locator("[data-testid=posting-report]").wait_for()
    assert int(biller.inner_text("[data-testid=count-matched]")) > 0
