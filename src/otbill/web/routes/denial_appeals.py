"""One denial's page: its cause and fix, the appeal level and deadline, the appeal packet (build,
edit the letter, preview, finalise, mark sent), what was recovered; and the prevention checks
proposed from recurring denials (accept or dismiss).

Reading is for billers and auditors; every change is a biller's (the services check it again).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.denials import packet as packets
from otbill.services.denials import prevention
from otbill.services.denials.appeal import AppealLate
from otbill.services.views.denial_page import (
    denial_detail,
    prevention_checks,
    profile_change_words,
)
from otbill.web.app import render, today
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor"))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


def _page(
    request: Request, user: SessionUser, denial_id: int, *, status_code: int = 200, **extra: Any
) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            detail = denial_detail(uow, denial_id, today(request))
    except NotFound:
        raise HTTPException(404, f"denial {denial_id} is not in this clinic") from None
    context = {"d": detail, "flash": request.session.pop("flash", None), **extra}
    return render(request, "denials/denial.html", context, status_code=status_code)


@router.get("/denials/{denial_id:int}")
def denial_page(request: Request, user: Reader, denial_id: int) -> Response:
    return _page(request, user, denial_id)


def _act(request: Request, user: SessionUser, denial_id: int, action: Any, done: str) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            action(uow)
    except NotFound:
        raise HTTPException(404, f"denial {denial_id} is not in this clinic") from None
    except AppealLate as error:
        return _page(request, user, denial_id, status_code=409, warning=str(error))
    except OtbillError as error:
        return _page(request, user, denial_id, status_code=409, error=str(error))
    request.session["flash"] = {"kind": "ok", "text": done}
    return RedirectResponse(f"/denials/{denial_id}", status_code=303)


@router.post("/denials/{denial_id:int}/packet")
def build_packet(request: Request, user: Biller, denial_id: int) -> Response:
    return _act(request, user, denial_id, lambda uow: packets.draft_packet(uow, denial_id),
                "The appeal letter is drafted from the record: read it, edit it, then finalise.")  # fmt: skip


@router.post("/denials/{denial_id:int}/letter")
def save_letter(
    request: Request, user: Biller, denial_id: int, body: Annotated[str, Form(max_length=20_000)]
) -> Response:
    return _act(request, user, denial_id, lambda uow: packets.edit_letter(uow, denial_id, body),
                "Letter saved (still a draft).")  # fmt: skip


@router.post("/denials/{denial_id:int}/finalise")
def finalise(request: Request, user: Biller, denial_id: int) -> Response:
    return _act(request, user, denial_id, lambda uow: packets.finalise_packet(uow, denial_id),
                "The packet is final and kept in the audit trail; send it, then mark it sent.")  # fmt: skip


@router.post("/denials/{denial_id:int}/sent")
def sent(
    request: Request,
    user: Biller,
    denial_id: int,
    confirm_late: Annotated[str, Form()] = "",
) -> Response:
    late = confirm_late == "yes"
    return _act(request, user, denial_id,
                lambda uow: packets.mark_sent(uow, denial_id, allow_late=late),
                "Marked sent: the appeal is filed and the claim is appealed.")  # fmt: skip


@router.post("/denials/{denial_id:int}/outcome")
def outcome(
    request: Request, user: Biller, denial_id: int, outcome: Annotated[str, Form(max_length=10)]
) -> Response:
    words = {"won": "won", "partial": "partly won", "lost": "lost"}.get(outcome, outcome)
    return _act(request, user, denial_id,
                lambda uow: packets.record_outcome(uow, denial_id, outcome),
                f"Outcome recorded: {words}.")  # fmt: skip


@router.get("/denials/{denial_id:int}/packet.pdf")
def packet_pdf(request: Request, user: Biller, denial_id: int) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            data = packets.packet_pdf(uow, denial_id)
    except NotFound:
        raise HTTPException(404, f"denial {denial_id} is not in this clinic") from None
    except OtbillError as error:
        raise HTTPException(409, str(error)) from None
    name = f"appeal-packet-denial-{denial_id}.pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/denials/prevention")
def prevention_page(request: Request, user: Reader) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        checks = prevention_checks(uow)
    changes = profile_change_words()
    context = {"checks": checks, "changes": changes, "flash": request.session.pop("flash", None)}
    return render(request, "denials/prevention.html", context)


@router.post("/denials/prevention/{check_id:int}")
def decide(
    request: Request, user: Biller, check_id: int, decision: Annotated[str, Form()]
) -> Response:
    if decision not in ("accept", "dismiss"):
        raise HTTPException(422, "decision must be accept or dismiss")
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            check = prevention.decide(uow, check_id, accept=decision == "accept")
    except NotFound:
        raise HTTPException(404, f"prevention check {check_id} is not in this clinic") from None
    except OtbillError as error:
        request.session["flash"] = {"kind": "error", "text": str(error)}
        return RedirectResponse("/denials/prevention", status_code=303)
    text = (
        f"Dismissed: {check.code} with reason {check.carc} will not be proposed again."
        if check.status != "accepted"
        else f"Accepted: claims with {check.code} for {check.payer_name} are held by CLN001 from now on."
        if check.profile_change is None
        else f"Accepted: for {check.payer_name}'s claims from now on, "
        f"{profile_change_words()[check.cause]} (the payer's profile, changed for this payer)."
    )
    request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse("/denials/prevention", status_code=303)
