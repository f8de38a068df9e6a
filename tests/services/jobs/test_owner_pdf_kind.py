"""Job kind ``reports.owner_pdf`` (issue 15) on both databases: the PDF lands under the folder
asked for, named from the job, with its size and SHA-256; run twice, the second run rewrites
nothing; queued twice with one key, one job; a build stopped before the rename leaves no file."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from otbill.domain.jobs import Job
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs import owner_pdf as kind_module
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_arguments, owner_pdf_file, pdf_name
from otbill.storage import Database
from support.clinickit import seed_clinic

ON = dt.date(2025, 3, 31)


class _Kept:
    def submit(self, job: Job) -> None:
        """The test runs the job's function itself."""

    def lost(self, job: Job) -> bool:
        return False


def _queued(db: Database, out_dir: Path) -> Job:
    ids = seed_clinic(db)
    return queue_job(db, _Kept(), ids.clinic, ids.biller, KIND,
                     owner_pdf_arguments(ON, out_dir), "2025-03-31@once")  # fmt: skip


def test_the_pdf_is_written_once_and_a_rerun_rewrites_nothing(db: Database, tmp_path: Path) -> None:
    job = _queued(db, tmp_path / "reports")
    run = kind_named(KIND).run
    first = run(db, RunningJob(job, db, {}))
    path = owner_pdf_file(first, job.arguments)
    assert path is not None and path.name == pdf_name(job.id)
    content = path.read_bytes()
    assert content.startswith(b"%PDF-") and first["size"] == len(content)
    assert first["sha256"] == hashlib.sha256(content).hexdigest()
    assert (first["on"], first["months"]) == ("2025-03-31", 12)
    written = path.stat().st_mtime_ns
    with db.unit_of_work(job.clinic_id) as uow:
        progress = uow.jobs.get(job.id)
    assert (progress.done, progress.total, progress.note) == (
        progress.total,
        progress.total,
        "Done",
    )
    second = run(db, RunningJob(progress, db, {}))
    assert second == first and path.stat().st_mtime_ns == written
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_one_key_is_one_job(db: Database, tmp_path: Path) -> None:
    job = _queued(db, tmp_path)
    again = queue_job(db, _Kept(), job.clinic_id, job.queued_by, KIND,
                      owner_pdf_arguments(ON, tmp_path), job.idempotency_key)  # fmt: skip
    assert again.id == job.id


def test_a_build_stopped_before_the_rename_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "reports"
    job = _queued(db, folder)

    def killed(*_: object) -> None:
        raise OSError("the process was stopped")

    monkeypatch.setattr(kind_module.os, "replace", killed)
    with pytest.raises(OSError):
        kind_named(KIND).run(db, RunningJob(job, db, {}))
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    result = kind_named(KIND).run(db, RunningJob(job, db, {}))
    assert [p.name for p in folder.iterdir()] == [result["file"]]
