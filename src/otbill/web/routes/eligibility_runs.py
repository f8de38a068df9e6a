"""Eligibility runs: the list, "Check tomorrow's patients now", and one run's progress and results.

Starting a run chooses who to ask and keeps it (:func:`~otbill.services.exchange.
eligibility_batch.start_run`) in the request, then asks the payers in a worker thread (never on
the event loop) and redirects to the run's page. The page reads the run's counts from the
database, so its progress (polled by htmx, or refreshed without it) is right even from another
browser; when the server restarted mid-run the page says the run stopped and offers to finish
it, which asks only what has no answer yet. The payer is reached by the app's eligibility
transport (``app.state.eligibility_transport``), else the payer simulator, as the patient
page's "Check eligibility now".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.services.exchange.eligibility_batch import result_rows, run_batch, start_run
from otbill.storage import Database
from otbill.web.app import render, today, wiring
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter()

Desk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
_CREATE = threading.Lock()


class _Workers:
    """The app's run workers: one run at a time, and which runs are being worked on now."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otbill-eligibility")
        self.working: set[int] = set()
        self.errors: dict[int, str] = {}
        self.lock = threading.Lock()

    def start(self, run_id: int, work: Any) -> None:
        with self.lock:
            if run_id in self.working:
                return
            self.working.add(run_id)
            self.errors.pop(run_id, None)
        self.pool.submit(contextvars.copy_context().run, self._run, run_id, work)

    def _run(self, run_id: int, work: Any) -> None:
        try:
            work()
        except OtbillError as error:
            self.errors[run_id] = str(error)
        except Exception:  # a bug: the page says the run stopped; the log has the details
            log.exception("eligibility run %s stopped", run_id)
            self.errors[run_id] = "the run stopped on an unexpected error; finish it to go on"
        finally:
            with self.lock:
                self.working.discard(run_id)

    def wait(self, timeout: float) -> None:
        """Wait until every run started so far has finished (tests, shutdown)."""
        self.pool.submit(lambda: None).result(timeout)


def workers(state: Any) -> _Workers:
    """The app's run workers (``app.state.eligibility_runs``), made on first use."""
    with _CREATE:
        found = getattr(state, "eligibility_runs", None)
        if found is None:
            found = state.eligibility_runs = _Workers()
        return found


def _transport(request: Request) -> RealTimeTransport:
    line: RealTimeTransport | None = getattr(request.app.state, "eligibility_transport", None)
    return line if line is not None else SimulatedEligibilityPayer()


def _launch(request: Request, user: SessionUser, run_id: int) -> None:
    db: Database = request.app.state.db
    transport = _transport(request)
    profiles: dict[str, PayerProfile] = dict(wiring(request).profiles)
    day = today(request)
    workers(request.app.state).start(
        run_id,
        lambda: run_batch(db, user.clinic_id, user.id, run_id, transport=transport,
                          profiles=profiles, today=day),
    )  # fmt: skip


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _list(request: Request, user: SessionUser, status_code: int = 200, **extra: Any) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        runs = uow.eligibility_runs.recent()
    tomorrow = today(request) + dt.timedelta(days=1)
    context = {"runs": runs, "tomorrow": tomorrow, "for_date": tomorrow.isoformat(), **extra}
    return render(request, "eligibility/runs.html", context, status_code=status_code)


@router.get("/eligibility/runs")
def runs_page(request: Request, user: Desk) -> Response:
    """The clinic's eligibility runs, newest first, and the form to start one."""
    return _list(request, user)


@router.post("/eligibility/runs")
def start(request: Request, user: Desk, form: FormData) -> Response:
    """Start (or resume) the run for the date and ask the payers in the background."""
    text = form.get("for_date", "").strip()
    kind = "plan-year" if form.get("plan_year") else "scheduled"
    try:
        for_date = dt.date.fromisoformat(text)
    except ValueError:
        error = f"Date of the visits {text!r}: a date such as {today(request) + dt.timedelta(1)}"
        return _list(request, user, 422, error=error, for_date=text)
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            run_id = start_run(uow, for_date, kind, today=today(request))
    except OtbillError as error:
        return _list(request, user, 422, error=str(error), for_date=text)
    _launch(request, user, run_id)
    return RedirectResponse(f"/eligibility/runs/{run_id}", status_code=303)


def _run_context(request: Request, user: SessionUser, run_id: int) -> dict[str, Any]:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            run = uow.eligibility_runs.get(run_id)
            rows = result_rows(uow, run_id) if run.state == "finished" else []
    except NotFound as exc:
        raise HTTPException(404, "no such eligibility run in this clinic") from exc
    jobs = workers(request.app.state)
    working = run_id in jobs.working
    percent = (
        100 if run.state == "finished" else int(100 * run.done / run.total) if run.total else 0
    )
    return {"run": run, "rows": rows, "working": working, "percent": percent,
            "error": jobs.errors.get(run_id), "flagged": sum(r.flagged for r in rows)}  # fmt: skip


@router.get("/eligibility/runs/{run_id}")
def run_page(request: Request, user: Desk, run_id: int, part: str = "") -> Response:
    """One run: its progress while it runs (``part=progress``: what htmx polls), then results."""
    context = _run_context(request, user, run_id)
    template = "eligibility/_run.html" if part == "progress" else "eligibility/run.html"
    return render(request, template, context)


@router.post("/eligibility/runs/{run_id}/resume")
def resume(request: Request, user: Desk, run_id: int) -> Response:
    """Finish a run that stopped (a restart of the server): ask only what has no answer yet."""
    context = _run_context(request, user, run_id)
    if context["run"].state != "finished":
        _launch(request, user, run_id)
    return RedirectResponse(f"/eligibility/runs/{run_id}", status_code=303)
