"""In a real browser, on PostgreSQL: a job waits and no worker runs, so the jobs page and the
dashboard say so in plain words; once a worker is heard from, the jobs page's banner goes (the
list htmx refreshes carries it)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from otbill.services.jobs import queue_job
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_arguments
from otbill.settings import Settings
from otbill.storage import Database
from otbill.web.app import create_app
from support import db_fixtures
from support.claimflow import TODAY
from support.clinickit import seed_clinic
from support.dbkit import pg_schema_url

db, _pg_schema, _sqlite_template = (
    db_fixtures.db,
    db_fixtures._pg_schema,
    db_fixtures._sqlite_template,
)
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]
WORDS = "Jobs are waiting and no worker is running: start otbill worker"


class _Kept:
    def submit(self, job) -> None:
        pass

    def lost(self, job) -> bool:
        return False


def test_the_pages_say_when_jobs_wait_for_a_worker_nobody_runs(
    page, live_server, db, tmp_path, _pg_schema
):
    ids = seed_clinic(db)
    arguments = owner_pdf_arguments(dt.date(2025, 3, 1), tmp_path)
    queue_job(db, _Kept(), ids.clinic, ids.biller, KIND, arguments, "waits")
    settings = Settings(data_dir=tmp_path, database_url=pg_schema_url(_pg_schema),
                        secret_key="k" * 40, worker_silent_minutes=2)  # fmt: skip
    app = create_app(settings, database=Database(settings.database_url, migrate=False), today=TODAY)
    live = live_server.serve(app)
    try:
        page.goto(f"{live.url}/login")
        page.fill("input[name=clinic]", "HOT")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "pw-admin")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live.url}/jobs")
        banner = page.locator("[data-testid=no-worker]")
        assert WORDS in banner.inner_text() and "1 job waiting" in banner.inner_text()
        page.goto(f"{live.url}/dashboard")
        assert WORDS in page.locator("[data-testid=no-worker]").inner_text()
        page.goto(f"{live.url}/jobs")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
        page.locator("[data-testid=no-worker]").wait_for(state="detached", timeout=10_000)
    finally:
        live_server.serve(None)
        app.state.db.dispose()
