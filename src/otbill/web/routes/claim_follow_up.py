"""Claim follow-up: the claims sent with no answer past their payer's days, and asking the payer.

``/claims/follow-up`` lists the claims still ``submitted`` (no 277CA acceptance, no 835) longer
than their payer profile's ``status_follow_up_days``, with the payer's last 276/277 status in plain
words. "Ask the payer (276)" asks about one claim at once (one real-time exchange) and comes back
to the list with the status in words; "Ask about all N claims" runs in a worker thread
(:mod:`otbill.web.claim_status_jobs`) and shows its progress, never inside the request. Every
answer is written on the claim's history (and a "not found" or "no answer" queued for a person) by
:func:`otbill.services.exchange.claim_status.check_status`.

The payer is reached through ``app.state.claim_status_transport`` when the app was given one,
else the payer simulator in-process, as the patient page's "Check eligibility now" does.
Billers and administrators only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.domain.record_errors import NotFound, RecordError
from otbill.services.exchange.claim_status import (
    ClaimStatusError,
    check_status,
    follow_up_queue,
)
from otbill.services.views.claim_follow_up import follow_up_rows
from otbill.web.app import render, today, wiring
from otbill.web.claim_status_jobs import status_jobs
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Biller = Annotated[SessionUser, Depends(require_roles("biller", "admin"))]
PAGE = "/claims/follow-up"


def _payer_line(request: Request) -> RealTimeTransport:
    """The app's 276 transport (``app.state.claim_status_transport``), else the simulator."""
    line: RealTimeTransport | None = getattr(request.app.state, "claim_status_transport", None)
    return line if line is not None else SimulatedClaimStatusPayer()


def _page(
    request: Request, user: SessionUser, error: str | None = None, status: int = 200
) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        rows = follow_up_rows(uow, today=today(request), profiles=wiring(request).profiles)
    flash = request.session.pop("flash", None)
    if error:
        flash = {"kind": "error", "text": error}
    return render(request, "billing/follow_up.html", {"rows": rows, "flash": flash},
                  status_code=status)  # fmt: skip


@router.get(PAGE)
def follow_up(request: Request, user: Biller) -> Response:
    """The claims to follow up, longest waiting first."""
    return _page(request, user)


@router.post(PAGE + "/{claim_id:int}/ask")
def ask_one(request: Request, user: Biller, claim_id: int) -> Response:
    """Ask the payer about one claim now (276 → 277); the status in words after the redirect."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            number = uow.claims.get(claim_id).number
            result = check_status(uow, claim_id, today=today(request),
                                  transport=_payer_line(request))  # fmt: skip
    except NotFound:
        raise HTTPException(404, f"claim {claim_id} is not in this clinic") from None
    except (ClaimStatusError, RecordError) as error:
        return _page(request, user, f"Claim {number}: the payer was not asked: {error}", 422)
    text = f"Claim {number}: {result.words}"
    if result.work_item_id is not None:
        text += " — queued for a person to resubmit or call the payer"
    request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/ask-all")
def ask_all(request: Request, user: Biller) -> Response:
    """Ask about every claim on the list, in a worker thread; its progress page at once."""
    db = request.app.state.db
    with db.unit_of_work(user.clinic_id, user.id) as uow:
        due = follow_up_queue(uow, today=today(request), profiles=wiring(request).profiles)
    if not due:
        request.session["flash"] = {"kind": "ok", "text": "No claim is waiting for an answer."}
        return RedirectResponse(PAGE, status_code=303)
    job = status_jobs(request.app.state).start(
        user.clinic_id, user.id, [d.claim.id for d in due], today=today(request)
    )
    return RedirectResponse(f"{PAGE}/jobs/{job.id}", status_code=303)


@router.get(PAGE + "/jobs/{job_id}")
def job_page(request: Request, user: Biller, job_id: str, part: str = "") -> Response:
    """The "Ask about all" progress page (``part=progress``: the part htmx polls)."""
    job = status_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no follow-up run {job_id} in this clinic")
    template = "billing/_follow_up_job.html" if part == "progress" else "billing/follow_up_job.html"
    return render(request, template, {"job": job})
