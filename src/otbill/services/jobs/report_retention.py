"""The owner's PDF files are kept for a while, then removed (``OTBILL_REPORT_RETENTION_DAYS``,
default 30 days): they hold every figure of the practice and would otherwise pile up in
``<data dir>/reports/<clinic id>/`` for ever.

Why the job table drives it: each file belongs to a finished ``reports.owner_pdf`` job, whose
arguments and result name it; the sweep removes the files of jobs finished before the retention
period and writes ``removed_at`` into the job's result, so the job's page says when its file
was removed (and a second sweep skips it). Who sweeps: every ``otbill worker`` once an hour
(PostgreSQL: every clinic with a reports folder), and each new build of the PDF for its own
clinic (so SQLite, where the web process runs the jobs, sweeps too).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from otbill import clock
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_file
from otbill.storage import Database

__all__ = ["REMOVED", "sweep_clinic_reports", "sweep_reports"]

log = logging.getLogger(__name__)
REMOVED = "removed_at"  # the key in the job's result: when its file was removed (ISO, UTC)


def sweep_clinic_reports(
    db: Database, clinic_id: int, days: int, now: dt.datetime | None = None
) -> list[int]:
    """Remove the clinic's owner's PDFs built more than ``days`` ago; the jobs whose file went."""
    at = now or clock.utcnow()
    with db.unit_of_work(clinic_id) as uow:
        old = uow.jobs.done_before(KIND, at - dt.timedelta(days=days))
    swept = []
    for job in old:
        path = owner_pdf_file(job.result, job.arguments)
        if path is None or (job.result or {}).get(REMOVED):
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as error:  # kept, and tried again by the next sweep
            log.warning("owner's PDF of job %s not removed: %s", job.id, error.strerror)
            continue
        with db.unit_of_work(clinic_id) as uow:
            uow.jobs.add_to_result(job.id, {REMOVED: at.isoformat(timespec="seconds")})
        log.info("owner's PDF of job %s removed after %s days", job.id, days)
        swept.append(job.id)
    return swept


def _clinic_folders(data_dir: Path) -> list[int]:
    """The clinic ids named by the folders under ``<data_dir>/reports/`` (others ignored)."""
    root = data_dir / "reports"
    if not root.is_dir():
        return []
    names = [p.name for p in root.iterdir() if p.is_dir()]
    return sorted(int(n) for n in names if n.isascii() and n.isdigit() and len(n) < 19)


def sweep_reports(
    db: Database, data_dir: Path, days: int, now: dt.datetime | None = None
) -> dict[int, list[int]]:
    """Sweep every clinic that has a folder under ``<data_dir>/reports/``: {clinic: jobs}."""
    found = {c: sweep_clinic_reports(db, c, days, now) for c in _clinic_folders(data_dir)}
    return {clinic: jobs for clinic, jobs in found.items() if jobs}
