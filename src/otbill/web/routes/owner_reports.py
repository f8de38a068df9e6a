"""The owner's numbers (issue 14): one page per report family (tabs), each table with its chart
(small samples marked) and its numbers, a CSV per table and one PDF of the whole set.

Who sees them: the roles the dashboard allows (auditor, and admin as ever). "Build the PDF" queues
the whole set on the shared job queue (kind ``reports.owner_pdf``, :mod:`otbill.services.jobs.owner_pdf`),
which writes the PDF under ``<data dir>/reports/<clinic id>``: its page reads the job's row, so any
web process answers it; it shows the progress, then the download. ``/reports/owner.pdf`` still
answers at once, for small clinics and scripts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from otbill import clock
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_arguments, owner_pdf_file
from otbill.services.jobs.report_retention import REMOVED
from otbill.services.views.owner import (
    FAMILIES,
    family_pdf,
    family_tables,
    owner_pdf,
    table_csv,
)
from otbill.services.views.owner.report import SMALL_SAMPLE, Table, format_cell
from otbill.web.app import render, today
from otbill.web.charts import line_chart, stacked_bar_chart
from otbill.web.jobs import JobView, KindJobs, app_jobs
from otbill.web.security import SessionUser, require_roles

__all__ = ["OwnerPdfJob", "OwnerPdfJobs", "owner_pdf_jobs", "router"]

router = APIRouter()
_Auditor = Annotated[SessionUser, Depends(require_roles("auditor"))]
_LINES = {"first_pass", "net_collection", "margin"}  # over months: lines; the rest: bars


def _chart(table: Table) -> Markup | None:
    figure = table.chart
    if figure is None or table.empty or not figure.labels:
        return None
    draw = line_chart if figure.key in _LINES else stacked_bar_chart
    return draw(figure.title, figure.caption, figure.labels, figure.series, figure.unit,
                table.small())  # fmt: skip


def _view(table: Table) -> dict[str, Any]:
    small = set()
    if table.chart is not None:
        small = {table.chart.labels[i] for i, s in enumerate(table.small()) if s}
    rows = [
        (label, [format_cell(c, u) for c, u in zip(cells, table.units, strict=True)],
         label in small)
        for label, cells in table.rows
    ]  # fmt: skip
    return {"table": table, "chart": _chart(table), "rows": rows, "small": sorted(small)}


def _family(key: str) -> str:
    if key not in {f.key for f in FAMILIES}:
        raise HTTPException(404, f"No report family named {key!r}.")
    return key


class OwnerPdfJob(JobView):
    """The build as its page shows it: the day, the family being summed, the file when done."""

    @property
    def on(self) -> dt.date:
        return dt.date.fromisoformat(self.job.arguments["on"])

    @property
    def step(self) -> str:
        return self.job.note

    @property
    def percent(self) -> int:
        if self.job.finished:
            return 100
        return 100 * self.job.done // self.job.total if self.job.total else 0

    @property
    def file(self) -> Path | None:
        return owner_pdf_file(self.job.result, self.job.arguments)

    @property
    def removed_at(self) -> dt.datetime | None:
        """When the retention sweep removed the file (None: not removed)."""
        removed = (self.job.result or {}).get(REMOVED)
        return dt.datetime.fromisoformat(removed) if removed else None


class OwnerPdfJobs(KindJobs[OwnerPdfJob]):
    kind = KIND
    view = OwnerPdfJob

    def start(self, clinic_id: int, user_id: int, on: dt.date, out_dir: Path) -> OwnerPdfJob:
        # the day and the minute: a double click is one build; a minute later, a fresh one
        key = f"{on.isoformat()}@{clock.utcnow():%Y-%m-%dT%H:%M}"
        return self._queue(clinic_id, user_id, owner_pdf_arguments(on, out_dir), key)


def owner_pdf_jobs(state: Any) -> OwnerPdfJobs:
    """The app's :class:`OwnerPdfJobs` over its job queue."""
    return OwnerPdfJobs(app_jobs(state))


def _reports_dir(request: Request, user: SessionUser) -> Path:
    return Path(request.app.state.settings.data_dir) / "reports" / str(user.clinic_id)


@router.post("/reports/owner/pdf", include_in_schema=False)
def build_pdf(request: Request, user: _Auditor) -> Response:
    """Queue the PDF of every table; its page shows the progress, then the download."""
    job = owner_pdf_jobs(request.app.state).start(
        user.clinic_id, user.id, today(request), _reports_dir(request, user)
    )
    return RedirectResponse(f"/reports/owner/pdf/{job.id}", status_code=303)


def _kept_days(request: Request) -> int:
    """How long the owner's PDFs are kept (``OTBILL_REPORT_RETENTION_DAYS``)."""
    return int(request.app.state.settings.report_retention_days)


def _job(request: Request, user: SessionUser, job_id: str) -> OwnerPdfJob:
    job = owner_pdf_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(
            404, f"No PDF of the owner's numbers numbered {job_id!r} in this clinic: build it "
            "again from the owner's numbers page."
        )  # fmt: skip
    return job


@router.get("/reports/owner/pdf/{job_id}", include_in_schema=False)
def pdf_job_page(request: Request, user: _Auditor, job_id: str, part: str = "") -> HTMLResponse:
    """The build's progress (``part=progress``: what htmx polls), then the download link."""
    job = _job(request, user, job_id)
    template = "reports/_owner_pdf_job.html" if part == "progress" else "reports/owner_pdf_job.html"
    return render(request, template, {"job": job, "kept_days": _kept_days(request)})


@router.get("/reports/owner/pdf/{job_id}/owner-numbers.pdf", include_in_schema=False)
def pdf_job_file(request: Request, user: _Auditor, job_id: str) -> Response:
    job = _job(request, user, job_id)
    path = job.file
    if path is None:
        raise HTTPException(404, "The owner's PDF is not built yet: its page shows how far it is.")
    if job.removed_at is not None:
        raise HTTPException(
            404, f"The owner's PDF was removed on {job.removed_at:%B %-d, %Y} (they are kept "
            f"{_kept_days(request)} days): build it again from the owner's numbers page."
        )  # fmt: skip
    if not path.is_file():
        raise HTTPException(
            404, "The owner's PDF file is no longer in the data folder: build it again from the "
            "owner's numbers page."
        )  # fmt: skip
    headers = {"Cache-Control": "no-store"}
    return FileResponse(path, media_type="application/pdf", headers=headers,
                        filename=f"owner-numbers-{job.on.isoformat()}.pdf")  # fmt: skip


@router.get("/reports/owner", include_in_schema=False)
def owner_index(request: Request, user: _Auditor) -> HTMLResponse:
    return owner_family(request, user, FAMILIES[0].key)


@router.get("/reports/owner/{key}", include_in_schema=False)
def owner_family(request: Request, user: _Auditor, key: str) -> HTMLResponse:
    on = today(request)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        tables = family_tables(uow, _family(key), on)
    return render(
        request,
        "reports/owner.html",
        {
            "families": FAMILIES,
            "current": key,
            "views": [_view(t) for t in tables],
            "as_of": on,
            "small_sample": SMALL_SAMPLE,
        },
    )


@router.get("/reports/owner/{key}/{table}.csv", include_in_schema=False)
def owner_csv(request: Request, user: _Auditor, key: str, table: str) -> Response:
    on = today(request)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        try:
            text = table_csv(uow, _family(key), table, on)
        except StopIteration:
            raise HTTPException(404, f"No table named {table!r} in {key}.") from None
    headers = {
        "Content-Disposition": f'attachment; filename="{table}-{on.isoformat()}.csv"',
        "Cache-Control": "no-store",
    }
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/reports/owner/{key}/page.pdf", include_in_schema=False)
def owner_family_pdf(request: Request, user: _Auditor, key: str) -> Response:
    """One family's tables as a PDF, built in the request (a page's reads, then some 100 rows)."""
    on = today(request)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        content = family_pdf(uow, _family(key), on)
    headers = {
        "Content-Disposition": f'attachment; filename="owner-{key}-{on.isoformat()}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/reports/owner.pdf", include_in_schema=False)
def owner_reports_pdf(request: Request, user: _Auditor) -> Response:
    on = today(request)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        content = owner_pdf(uow, on)
    headers = {
        "Content-Disposition": f'inline; filename="owner-numbers-{on.isoformat()}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(content, media_type="application/pdf", headers=headers)
