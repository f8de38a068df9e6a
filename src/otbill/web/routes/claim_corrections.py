"""The claim page's "Correct this claim" and "Void this claim" (billers).

``POST /claims/{id}/correction`` with ``frequency`` 7 or 8 and a ``reason``: a correction is made
at once; a void first shows a page that says what voiding does and asks to confirm (``confirm=yes``
sends it). The new claim's page follows (POST, redirect, GET) with what happened; a refusal (no
payer's claim number for REF*F8, a claim not sent yet, a correction already open, no reason)
re-renders the claim page with the message, in the words of
:mod:`otbill.services.claims.corrections`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.lifecycle import Frequency
from otbill.domain.record_errors import NotFound, PermissionDenied
from otbill.errors import OtbillError
from otbill.services.claims.corrections import correct_claim, frequency_of, why_not_correctable
from otbill.services.views import claim_page as claim_view
from otbill.web.app import render, scrub_run, wiring
from otbill.web.routes.claim_page import _page as claim_page
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()

Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


def _confirm_void(request: Request, user: SessionUser, claim_id: int, reason: str) -> Response:
    """The page that asks before a void is made; a claim that cannot be voided says why."""
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        claim = uow.claims.get(claim_id)
        why = why_not_correctable(uow, claim)
        data = claim_view.claim_page(uow, claim_id)["claim"]
    if why:
        return claim_page(request, user, claim_id, why, status_code=409)
    if not " ".join(reason.split()):
        message = "reason: say why the claim is voided (it goes on its history)"
        return claim_page(request, user, claim_id, message, status_code=422)
    return render(request, "billing/claim_void_confirm.html", {"c": data, "reason": reason})


@router.post("/claims/{claim_id:int}/correction")
def correct(
    request: Request,
    user: Biller,
    claim_id: int,
    frequency: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    try:
        wanted = frequency_of(frequency)
        if wanted is Frequency.VOID and confirm != "yes":
            return _confirm_void(request, user, claim_id, reason)
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            made = correct_claim(uow, claim_id, wanted, reason, scrub_run(request),
                                 wiring(request).rules)  # fmt: skip
    except NotFound as error:
        raise HTTPException(404, str(error)) from None
    except PermissionDenied as error:
        return claim_page(request, user, claim_id, str(error), status_code=403)
    except OtbillError as error:
        status = 422 if str(error).startswith(("reason", "frequency")) else 409
        return claim_page(request, user, claim_id, str(error), status_code=status)
    what = "corrected claim (frequency 7)" if made.frequency == "7" else "void (frequency 8)"
    state = {"ready": "ready for approval", "held": "held: see the findings below"}
    text = (
        f"Claim {made.number} made: a {what} of claim {made.original_number}, citing the payer's "
        f"claim number {made.payer_claim_number}. It is {state.get(made.status, made.status)}."
    )
    request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse(f"/claims/{made.id}", status_code=303)
