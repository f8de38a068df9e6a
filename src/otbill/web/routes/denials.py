"""Denials: open ones in plain words with days left to appeal, grouped by cause; filing an appeal.

An appeal moves the claim to ``appealed`` and records who filed it (services.denial_queries). A
denial past its appeal deadline shows "deadline passed"; filing it anyway needs a confirmation.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.denials.appeal import AppealLate, record_appeal
from otbill.services.views.denials import open_denials
from otbill.web.app import render, today
from otbill.web.params import MAX_PAGE, whole_number
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor"))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


def _page(request: Request, user: SessionUser, *, status_code: int = 200, **extra: Any) -> Response:
    q = request.query_params
    payer_id = whole_number(q.get("payer"), "payer")
    code = (q.get("carc") or "").strip().upper()[:5] or None
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        listing = open_denials(
            uow,
            today(request),
            payer_id=payer_id,
            code=code,
            page=whole_number(q.get("page"), "page", highest=MAX_PAGE) or 1,
        )
    base = "&".join(f"{k}={v}" for k, v in (("payer", payer_id), ("carc", code)) if v)
    context = {
        "listing": listing,
        "payer_id": payer_id,
        "carc": code,
        "query": base,
        "flash": request.session.pop("flash", None),
        **extra,
    }
    return render(request, "denials/index.html", context, status_code=status_code)


@router.get("/denials")
def denials(request: Request, user: Reader) -> Response:
    return _page(request, user)


@router.post("/denials/{denial_id:int}/appeal")
def appeal(
    request: Request,
    user: Biller,
    denial_id: int,
    reason: Annotated[str, Form(max_length=2000)] = "",
    confirm_late: Annotated[str, Form()] = "",
) -> Response:
    """File an appeal of one denial; the claim becomes ``appealed``."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            row = record_appeal(
                uow, denial_id, today(request), reason, allow_late=confirm_late == "yes"
            )
            level = row.level
    except NotFound:
        raise HTTPException(404, f"denial {denial_id} is not in this clinic") from None
    except AppealLate as error:
        return _page(request, user, status_code=409, warning=str(error), late_id=denial_id)
    except OtbillError as error:
        return _page(request, user, status_code=409, error=str(error))
    text = f"Appeal (level {level}) recorded; the claim is now appealed."
    request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse("/denials", status_code=303)
