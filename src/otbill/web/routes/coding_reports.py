"""The quarterly coding audit (``/reports/coding-audit?quarter=2025Q1``, its CSV, and the chart-
audit checklist posted for a sampled visit) and the year's code changes
(``/reports/code-changes?year=2026`` and its CSV). Reads, except the checklist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.coding_audit import CHECKLIST, MEASURES
from otbill.errors import OtbillError
from otbill.services.clinic.chart_audit import ANSWERS, record_chart_audit
from otbill.services.views.code_changes import CodeChanges, code_changes, code_changes_csv
from otbill.services.views.coding_audit import (
    DEFAULT_SAMPLE,
    AuditView,
    coding_audit,
    coding_audit_csv,
    measure_label,
)
from otbill.web.app import render, today, wiring
from otbill.web.params import whole_number
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor", "admin"))]


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _this_quarter(request: Request) -> str:
    on = today(request)
    return f"{on.year}Q{(on.month - 1) // 3 + 1}"


def _audit(request: Request, user: SessionUser) -> tuple[AuditView | None, list[str], str]:
    q = request.query_params
    quarter = q.get("quarter") or _this_quarter(request)
    try:
        seed = whole_number(q.get("seed"), "seed")
        size = whole_number(q.get("sample"), "sample")
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            view = coding_audit(
                uow, quarter, seed=seed, sample_size=DEFAULT_SAMPLE if size is None else size
            )
    except (OtbillError, ValueError) as error:
        return None, [str(error)], quarter
    return view, [], quarter


@router.get("/reports/coding-audit")
def coding_audit_page(request: Request, user: Reader) -> Response:
    view, errors, quarter = _audit(request, user)
    context: dict[str, Any] = {
        "view": view,
        "errors": errors,
        "quarter": quarter,
        "measures": [(k, MEASURES[k][0]) for k in MEASURES if not k.startswith("eval_")],
        "label": measure_label,
        "checklist": CHECKLIST,
        "answers": ANSWERS,
        "saved": request.query_params.get("saved"),
    }
    return render(request, "reports/coding_audit.html", context, 422 if errors else 200)


@router.get("/reports/coding-audit.csv")
def coding_audit_download(request: Request, user: Reader) -> Response:
    view, errors, _ = _audit(request, user)
    if view is None:
        return _refused(errors)
    return _csv(coding_audit_csv(view), f"coding-audit-{view.quarter}.csv")


@router.post("/reports/coding-audit/chart-audit")
def chart_audit_post(request: Request, user: Reader, form: FormData) -> Response:
    quarter = form.get("quarter", "")
    try:
        visit = whole_number(form.get("visit_id"), "visit")
        seed = whole_number(form.get("seed"), "seed")
        size = whole_number(form.get("sample"), "sample")
        if visit is None:
            raise ValueError("Choose the visit")
        answers = {key: form[key] for key, _ in CHECKLIST if form.get(key)}
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            record = record_chart_audit(
                uow, quarter, visit, answers, seed=seed,
                sample_size=DEFAULT_SAMPLE if size is None else size,
                comment=form.get("comment", ""),
            )  # fmt: skip
    except (OtbillError, ValueError) as error:
        return Response(
            f"The chart audit was not recorded: {error}\n", status_code=422, media_type="text/plain"
        )
    extra = "" if size is None else f"&sample={size}"
    return RedirectResponse(
        f"/reports/coding-audit?quarter={record.quarter}&seed={record.seed}{extra}"
        f"&saved={record.visit_id}#sample",
        status_code=303,
    )


def _changes(request: Request, user: SessionUser) -> tuple[CodeChanges | None, list[str], str]:
    year = request.query_params.get("year") or str(today(request).year + 1)
    dirs = [request.app.state.settings.refdata_dir]
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            report = code_changes(uow, year, dirs, profiles=wiring(request).profiles)
    except (OtbillError, ValueError) as error:
        return None, [str(error)], year
    return report, [], year


@router.get("/reports/code-changes")
def code_changes_page(request: Request, user: Reader) -> Response:
    report, errors, year = _changes(request, user)
    context = {"report": report, "errors": errors, "year": year}
    return render(request, "reports/code_changes.html", context, 422 if errors else 200)


@router.get("/reports/code-changes.csv")
def code_changes_download(request: Request, user: Reader) -> Response:
    report, errors, _ = _changes(request, user)
    if report is None:
        return _refused(errors)
    return _csv(code_changes_csv(report), f"code-changes-{report.year}.csv")


def _refused(errors: list[str]) -> Response:
    """A CSV that cannot be made: why, as plain text (422)."""
    return Response("; ".join(errors) + "\n", status_code=422, media_type="text/plain")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
