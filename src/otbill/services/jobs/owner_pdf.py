"""Job kind ``reports.owner_pdf``: every table of the owner's numbers as one PDF, kept as a file.

Why a file: the job's row is read by any process, so the PDF must be where any process finds it:
``<data dir>/reports/<clinic id>/`` (the folder is an argument, as a statement run's is), named
from the job's id. It is written to a temporary name and then renamed, so a killed build leaves
no half file. Idempotent: when the file is already there (a rerun, a duplicate delivery), it is
read back, not built again: the second run rewrites nothing and returns the same result. Files
are removed after ``OTBILL_REPORT_RETENTION_DAYS`` (:mod:`.report_retention`); each build first
sweeps its clinic's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.services.views.owner import build_owner_pdf
from otbill.storage import Database

__all__ = ["KIND", "MONTHS", "owner_pdf_arguments", "owner_pdf_file", "pdf_name"]

KIND = "reports.owner_pdf"
MONTHS = 12  # the window the owner's page shows, ending on the day asked


def owner_pdf_arguments(on: dt.date, out_dir: Path, months: int = MONTHS) -> dict[str, Any]:
    return {"on": on.isoformat(), "months": months, "out_dir": str(out_dir)}


def pdf_name(job_id: int) -> str:
    return f"owner-numbers-job-{job_id}.pdf"


def owner_pdf_file(result: dict[str, Any] | None, arguments: dict[str, Any]) -> Path | None:
    """Where a finished job's PDF is (None before the job is done)."""
    if not result:
        return None
    return Path(arguments["out_dir"]) / str(result["file"])


def _result(path: Path, arguments: dict[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as pdf:
        for block in iter(lambda: pdf.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "size": path.stat().st_size, "sha256": digest.hexdigest(),
            "on": arguments["on"], "months": arguments["months"]}  # fmt: skip


def _write_once(path: Path, content: bytes) -> None:
    """Write to a temporary name in the same folder, then rename: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")  # a rerun writes over a killed one's
    try:
        with partial.open("wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@job_kind(KIND, "owner's PDF")
def build(db: Database, job: RunningJob) -> dict[str, Any]:
    args = job.arguments
    wiring = job.context.get("wiring")
    if wiring is not None:  # the clinic's PDFs past their retention go first
        from otbill.services.jobs.report_retention import sweep_clinic_reports

        sweep_clinic_reports(db, job.clinic_id, wiring.settings.report_retention_days)
    path = Path(args["out_dir"]) / pdf_name(job.record.id)
    if not path.is_file():  # a rerun of a finished build finds its file: nothing rewritten
        content = build_owner_pdf(db, job.clinic_id, job.actor, dt.date.fromisoformat(args["on"]),
                                  job.progress, months=int(args["months"]))  # fmt: skip
        _write_once(path, content)
    return _result(path, args)
