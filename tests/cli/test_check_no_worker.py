"""``otbill check`` on PostgreSQL: jobs waiting in the queue while no worker has been heard from
for ``OTBILL_WORKER_SILENT_MINUTES`` is a mistake, in plain words, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from otbill.cli.check import SHARED_DIR_ENV, find_mistakes
from otbill.settings import Settings
from otbill.storage import Database
from support.db_fixtures import _pg_schema, _sqlite_template, db

_ = (_pg_schema, _sqlite_template, db)  # fixtures, used by name
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]
KEY = "a-random-key-of-enough-length-0123456789"


def _about_workers(db: Database, folder: Path) -> list[tuple[str, str]]:
    url = db.engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=folder, database_url=url, secret_key=KEY, worker_silent_minutes=3)
    found = find_mistakes(settings, environ={SHARED_DIR_ENV: str(folder)})
    return [(f.what, f.fix) for f in found if "worker" in f.what and f.is_mistake]


def test_jobs_waiting_with_no_worker_is_a_mistake(db: Database, tmp_path: Path) -> None:
    assert _about_workers(db, tmp_path) == []
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) "
                          "VALUES ('default', 'otbill.run_job', '{}', 'todo')"))  # fmt: skip
    ((what, fix),) = _about_workers(db, tmp_path)
    assert what.startswith("Jobs are waiting and no worker is running (1 job waiting; no worker")
    assert fix.startswith("start `otbill worker`")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
    assert _about_workers(db, tmp_path) == []
