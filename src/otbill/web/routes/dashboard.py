"""The owners' dashboard: money and quality figures as SVG charts, each with its numbers in a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from otbill.services.views.dashboard import cached_dashboard
from otbill.services.views.dashboard_work import CHART_LABELS
from otbill.services.views.figures import Figure
from otbill.web.app import render, today
from otbill.web.charts import bar_chart, format_value, line_chart, stacked_bar_chart
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Chart = Callable[[Figure], Markup]
_CHARTS: dict[str, Chart] = {
    "clean_claims": lambda f: line_chart(f.title, f.caption, f.labels, f.series, f.unit),
    "denials_by_cause": lambda f: stacked_bar_chart(f.title, f.caption, f.labels, f.series, f.unit),
    "denials_by_payer": lambda f: line_chart(f.title, f.caption, f.labels, f.series, f.unit),
    "ar_aging": lambda f: stacked_bar_chart(f.title, f.caption, f.labels, f.series, f.unit),
    "work_in_progress": lambda f: bar_chart(
        f.title, f.caption, [CHART_LABELS.get(x, x) for x in f.labels], f.series[0][1], f.unit
    ),
    "payer_mix": lambda f: stacked_bar_chart(f.title, f.caption, f.labels, f.series, f.unit),
    "payment_per_visit": lambda f: stacked_bar_chart(
        f.title, f.caption, f.labels, f.series, f.unit
    ),
    "cost_per_visit": lambda f: bar_chart(f.title, f.caption, f.labels, f.series[0][1], f.unit),
}


def _table(figure: Figure) -> dict[str, Any]:
    """The figure's numbers as rows: label, each series (formatted exactly), the extra columns."""
    head = [name or figure.title for name, _ in figure.series] + [n for n, _ in figure.extra]
    rows = []
    for i, label in enumerate(figure.labels):
        cells = [format_value(values[i], figure.unit, exact=True) for _, values in figure.series]
        cells += [column[i] for _, column in figure.extra]
        rows.append((label, cells))
    return {"head": head, "rows": rows}


def _view(figure: Figure) -> dict[str, Any]:
    chart = None if figure.empty else _CHARTS[figure.key](figure)
    return {"figure": figure, "chart": chart, "table": _table(figure)}


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(
    request: Request, user: Annotated[SessionUser, Depends(require_roles("auditor"))]
) -> HTMLResponse:
    on = today(request)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        figures = cached_dashboard(uow, on, request.app.state.queue_cache)
    from otbill.web.routes.jobs import no_worker

    context = {"views": [_view(f) for f in figures], "as_of": on,
               "no_worker": no_worker(request, user.clinic_id)}  # fmt: skip
    return render(request, "dashboard/index.html", context)
