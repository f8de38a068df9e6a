"""The owner's PDF files past their retention are removed (both databases): the sweep removes the
files of jobs finished more than the set days ago and writes when into the job's result; a newer
file stays; a second sweep changes nothing; a new build sweeps its clinic first; a worker's sweep
runs at once; folders that name no clinic are left alone; the setting is bounded."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from otbill.domain.jobs import Job
from otbill.errors import ConfigError
from otbill.services.clinic.wiring import Wiring
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs import worker as worker_module
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_arguments
from otbill.services.jobs.report_retention import REMOVED, sweep_reports
from otbill.settings import Settings, load_settings
from otbill.storage import Database
from support.clinickit import Ids, seed_clinic

NOW = dt.datetime(2026, 5, 1, 12, 0)


class _Kept:
    def submit(self, job: Job) -> None:
        pass

    def lost(self, job: Job) -> bool:
        return False


def _built(db: Database, ids: Ids, data_dir: Path, key: str, days_ago: int) -> tuple[Job, Path]:
    """A finished owner's PDF job of the clinic, its file in place, finished ``days_ago``."""
    out_dir = data_dir / "reports" / str(ids.clinic)
    arguments = owner_pdf_arguments(dt.date(2026, 3, 31), out_dir)
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, KIND, arguments, key)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"owner-numbers-job-{job.id}.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    when = NOW - dt.timedelta(days=days_ago)
    with db.unit_of_work(ids.clinic) as uow:
        uow.jobs.finish(job.id, {"file": path.name, "size": 13})
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE job SET created_at = :at, finished_at = :at WHERE id = :id"),
                     {"at": when, "id": job.id})  # fmt: skip
    return job, path


def _result(db: Database, ids: Ids, job: Job) -> dict:
    with db.unit_of_work(ids.clinic) as uow:
        return uow.jobs.get(job.id).result or {}


def test_files_past_their_retention_are_removed_once(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    old, old_file = _built(db, ids, tmp_path, "old", 31)
    new, new_file = _built(db, ids, tmp_path, "new", 29)
    (tmp_path / "reports" / "not-a-clinic").mkdir()
    (tmp_path / "reports" / "99999999999999999999").mkdir()  # beyond any row id: ignored

    assert sweep_reports(db, tmp_path, 30, NOW) == {ids.clinic: [old.id]}
    assert not old_file.exists() and new_file.exists()
    assert _result(db, ids, old)[REMOVED] == "2026-05-01T12:00:00"
    assert REMOVED not in _result(db, ids, new) and _result(db, ids, old)["file"] == old_file.name
    assert sweep_reports(db, tmp_path, 30, NOW + dt.timedelta(hours=1)) == {}
    assert _result(db, ids, old)[REMOVED] == "2026-05-01T12:00:00"
    assert sweep_reports(db, tmp_path, 7, NOW) == {ids.clinic: [new.id]}


def test_a_new_build_and_a_worker_sweep_first(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    old, old_file = _built(db, ids, tmp_path, "old", 400)  # before the machine's today - 30 days
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", report_retention_days=30)
    wiring = Wiring.load(settings)
    out_dir = tmp_path / "reports" / str(ids.clinic)
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, KIND,
                    owner_pdf_arguments(dt.date(2025, 3, 31), out_dir), "build")  # fmt: skip
    kind_named(KIND).run(db, RunningJob(job, db, {"wiring": wiring}))
    assert not old_file.exists() and REMOVED in _result(db, ids, old)

    other, other_file = _built(db, ids, tmp_path, "other", 400)

    async def one_sweep() -> None:
        with pytest.raises(TimeoutError):  # it sweeps at once, then sleeps for an hour
            await asyncio.wait_for(worker_module._sweep_reports(db, {"wiring": wiring}), 5)

    asyncio.run(one_sweep())
    assert not other_file.exists() and REMOVED in _result(db, ids, other)


@pytest.mark.parametrize("value", ["0", "3651", "ten", "²"])
def test_the_retention_setting_is_bounded(tmp_path: Path, value: str) -> None:
    env = {"OTBILL_DATA_DIR": str(tmp_path), "OTBILL_REPORT_RETENTION_DAYS": value}
    with pytest.raises(ConfigError, match="OTBILL_REPORT_RETENTION_DAYS .*from 1 to 3650"):
        load_settings(env)
    assert load_settings({**env, "OTBILL_REPORT_RETENTION_DAYS": "90"}).report_retention_days == 90
