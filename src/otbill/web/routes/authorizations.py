"""Authorization pages: the work queue, opening a request, one authorization with its channel.

Front-desk work: open to the front desk, billers and admins; auditors read the queue and the
pages. Every successful post redirects (POST-redirect-GET); bad input shows the page again with
the message naming the field and the form as typed. "Request from the payer (278)" asks the payer
through ``app.state.prior_auth_transport`` (the payer simulator, in-process, unless the app was
given one) and says its decision in a flash on the page it redirects to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.domain.authorizations import EntryKind
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import OtbillError
from otbill.services.clinic.accounts import list_users
from otbill.services.exchange.prior_auth import RAW_MARK, request_authorization
from otbill.services.frontdesk import authorizations as auths
from otbill.services.frontdesk import registration
from otbill.services.frontdesk.authorization_queue import (
    CoverageChoice,
    authorization_page,
    authorization_queue,
    coverage_choices,
)
from otbill.storage import UnitOfWork
from otbill.web.app import render, today, wiring
from otbill.web.params import is_whole
from otbill.web.routes.frontdesk import Clerk, FormData, Reader, _uow
from otbill.web.routes.frontdesk_forms import form_date
from otbill.web.security import SessionUser

__all__ = ["payer_line_278", "router"]

router = APIRouter()
_NOTICES = {
    "opened": "Authorization request opened.",
    "log": "Entry logged.",
    "status": "Status changed.",
}
_KINDS = [k.value for k in EntryKind if k != EntryKind.STATUS]


def _number(form: dict[str, str], name: str, label: str) -> int | None:
    text = form.get(name, "").strip()
    if not text:
        return None
    if not is_whole(text, 9):
        raise RecordError(f"{label} {text!r}: expected a whole number")
    return int(text)


def _day(form: dict[str, str], name: str, label: str) -> dt.date:
    return form_date(form, name, label, required=True) or dt.date.min  # required: never None


def _codes(form: dict[str, str]) -> list[str]:
    return [c for c in form.get("codes", "").replace(" ", ",").split(",") if c]


@router.get("/authorizations", include_in_schema=False)
def queue_page(request: Request, user: Reader, owner: int | None = None) -> HTMLResponse:
    with _uow(request, user) as uow:
        queue = authorization_queue(uow, today(request), owner)
    return render(request, "authorizations/queue.html", {"queue": queue, "owner": owner})


@router.get("/authorizations/new", include_in_schema=False)
def new_request(
    request: Request, user: Clerk, patient_id: int | None = None, q: str = ""
) -> HTMLResponse:
    return _new_page(request, user, patient_id, q, {})


def _new_page(
    request: Request,
    user: SessionUser,
    patient_id: int | None,
    q: str,
    form: dict[str, str],
    error: str | None = None,
) -> HTMLResponse:
    found, patient = None, None
    coverages: list[CoverageChoice] = []
    with _uow(request, user) as uow:
        if patient_id is not None:
            try:
                patient, coverages = coverage_choices(uow, patient_id)
            except NotFound as exc:
                raise HTTPException(404, "no such patient in this clinic") from exc
        elif q:
            found = registration.search_patients(uow, text=q, dob=None, page=1)
        users = list_users(uow)
    context = {"patient": patient, "patient_id": patient_id, "coverages": coverages, "found": found, "q": q, "form": form,
               "error": error, "users": users}  # fmt: skip
    return render(request, "authorizations/new.html", context, status_code=422 if error else 200)


@router.post("/authorizations", include_in_schema=False)
def open_request(request: Request, user: Clerk, form: FormData) -> Response:
    patient_id = int(form["patient_id"]) if is_whole(form.get("patient_id", "")) else None
    try:
        with _uow(request, user) as uow:
            auth_id = auths.open_authorization(
                uow, coverage_id=_number(form, "coverage_id", "coverage") or 0,
                number=form.get("number", ""), start=_day(form, "start", "start date"),
                end=_day(form, "end", "end date"), codes=_codes(form),
                note=form.get("note", ""), owner_id=_number(form, "owner_id", "owner"),
                due_on=form_date(form, "due_on", "follow-up date"),
            )  # fmt: skip
    except OtbillError as exc:
        return _new_page(request, user, patient_id, "", form, str(exc))
    return RedirectResponse(f"/authorizations/{auth_id}?done=opened", status_code=303)


def _page(
    request: Request, user: SessionUser, auth_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            page = authorization_page(uow, auth_id, today(request))
            users = list_users(uow)
    except NotFound as exc:
        raise HTTPException(404, "no such authorization in this clinic") from exc
    context = {"page": page, "s": page.summary, "users": users, "kinds": _KINDS, "form": {},
               "error": None, "notice": _NOTICES.get(request.query_params.get("done", "")),
               "flash": request.session.pop("flash", None), "raw_mark": RAW_MARK,
               "askable": page.summary.status in ("requested", "pending")}  # fmt: skip
    return render(request, "authorizations/page.html", context | extra, status_code=status)


@router.get("/authorizations/{auth_id}", include_in_schema=False)
def show(request: Request, user: Reader, auth_id: int) -> HTMLResponse:
    return _page(request, user, auth_id)


def _log_step(uow: UnitOfWork, auth_id: int, form: dict[str, str]) -> None:
    auths.log_entry(
        uow, auth_id, kind=form.get("kind", ""), text=form.get("text", ""),
        reference=form.get("reference"), contact=form.get("contact"),
        document=form.get("document"), owner_id=_number(form, "owner_id", "owner"),
        due_on=form_date(form, "due_on", "follow-up date"),
    )  # fmt: skip


def _status_step(uow: UnitOfWork, auth_id: int, form: dict[str, str]) -> None:
    auths.change_status(
        uow, auth_id, status=form.get("status", ""), number=form.get("number") or None,
        visits_authorized=_number(form, "visits", "visits authorized"),
        units_authorized=_number(form, "units", "units authorized"),
        end=form_date(form, "end", "end date"),
        codes=_codes(form) if form.get("codes") else None, note=form.get("note", ""),
        owner_id=_number(form, "owner_id", "owner"),
        due_on=form_date(form, "due_on", "follow-up date"),
    )  # fmt: skip


def payer_line_278(request: Request) -> RealTimeTransport:
    """The app's 278 transport (``app.state.prior_auth_transport``), else the payer simulator."""
    line: RealTimeTransport | None = getattr(request.app.state, "prior_auth_transport", None)
    if line is not None:
        return line
    from otbill.clearinghouse.simulator.prior_auth import SimulatedPriorAuthPayer

    payer: RealTimeTransport = SimulatedPriorAuthPayer()
    return payer


@router.post("/authorizations/{auth_id}/request-278", include_in_schema=False)
def request_278(request: Request, user: Clerk, auth_id: int, form: FormData) -> Response:
    """Ask the payer now (278) and apply its answer; back to the page with the decision in words,
    or the page with what went wrong (nothing kept)."""
    try:
        with _uow(request, user) as uow:
            done = request_authorization(
                uow, auth_id, transport=payer_line_278(request), today=today(request),
                profiles=wiring(request).profiles,
            )  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such authorization in this clinic") from exc
    except OtbillError as exc:
        error = f"Nothing was kept on the authorization: {exc}"
        return _page(request, user, auth_id, 422, error=error)
    request.session["flash"] = {"kind": "ok", "text": done.message}
    return RedirectResponse(f"/authorizations/{auth_id}", status_code=303)


# The page's two forms: log a step in the channel, change the status.
_STEPS: dict[str, Callable[[UnitOfWork, int, dict[str, str]], None]] = {
    "log": _log_step,
    "status": _status_step,
}


@router.post("/authorizations/{auth_id}/{step}", include_in_schema=False)
def post_step(request: Request, user: Clerk, auth_id: int, step: str, form: FormData) -> Response:
    """Run the form's step in one unit of work; back to the page, or the page with the message
    and the form as typed."""
    run = _STEPS.get(step)
    if run is None:
        raise HTTPException(404, "no such form on an authorization")
    try:
        with _uow(request, user) as uow:
            run(uow, auth_id, form)
    except NotFound as exc:
        raise HTTPException(404, "no such authorization in this clinic") from exc
    except OtbillError as exc:
        return _page(request, user, auth_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/authorizations/{auth_id}?done={step}", status_code=303)
