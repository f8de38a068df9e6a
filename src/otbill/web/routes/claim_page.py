"""One claim: what it bills, what the scrubber found and why, who did what; fix, edit, approve.

Every change goes through a service in one unit of work for the logged-in user's clinic; a change
the records refuse (a claim no longer editable, separation of duties) re-renders the page with the
message. After a change the browser is sent back to the page (POST, redirect, GET).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import IllegalTransition, NotFound, PermissionDenied, StaleRecord
from otbill.errors import OtbillError
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.fixes import (
    apply_safe_fixes,
    edit_claim_line,
    line_unchanged,
    parse_charge,
    parse_modifiers,
)
from otbill.services.views import approval as approval_view
from otbill.services.views import claim_page as claim_view
from otbill.storage import UnitOfWork
from otbill.web.app import render, scrub_run, today, wiring
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "approver", "auditor"))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]
Approver = Annotated[SessionUser, Depends(require_roles("approver"))]


def _page(
    request: Request,
    user: SessionUser,
    claim_id: int,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            data = claim_view.claim_page(uow, claim_id)
            data["approval"] = approval_view.claim_approval(uow, claim_id)
    except NotFound:
        raise HTTPException(404, f"claim {claim_id} is not in this clinic") from None
    known = wiring(request).rule_codes
    flash = request.session.pop("flash", None)
    if error:
        flash = {"kind": "error", "text": error}
    return render(
        request,
        "billing/claim.html",
        {**data, "flash": flash, "known_rules": known},
        status_code=status_code,
    )


@router.get("/claims/{claim_id:int}")
def claim(request: Request, user: Reader, claim_id: int) -> Response:
    return _page(request, user, claim_id)


def _run(request: Request) -> tuple[ScrubContext, Sequence[Rule]]:
    """The scrubbing run for today: payer profiles, reference tables, the rules."""
    return scrub_run(request), wiring(request).rules


def _change(
    request: Request,
    user: SessionUser,
    claim_id: int,
    action: Callable[[UnitOfWork], str],
    refused: int = 409,
) -> Response:
    """Run ``action`` in one unit of work; its result is the message shown on the claim page.

    ``refused``: the status of a refusal other than the claim's state (409 always), e.g. 422
    when the refusal is about a field the user typed."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            message = action(uow)
    except NotFound as error:
        raise HTTPException(404, str(error)) from None
    except PermissionDenied as error:
        return _page(request, user, claim_id, str(error), status_code=403)
    except (IllegalTransition, StaleRecord) as error:
        return _page(request, user, claim_id, str(error), status_code=409)
    except OtbillError as error:
        return _page(request, user, claim_id, str(error), status_code=refused)
    request.session["flash"] = {"kind": "ok", "text": message}
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


def _status_text(status: str) -> str:
    return {
        "ready": "The claim is ready for approval.",
        "held": "The claim is still held: see the findings below.",
    }.get(status, f"The claim is now {status}.")


@router.post("/claims/{claim_id:int}/fix")
def fix_all(request: Request, user: Biller, claim_id: int) -> Response:
    def action(uow: UnitOfWork) -> str:
        run, rules = _run(request)
        outcome = apply_safe_fixes(uow, claim_id, run, rules)
        return f"Applied {'; '.join(outcome.applied)}. {_status_text(outcome.status)}"

    return _change(request, user, claim_id, action)


@router.post("/claims/{claim_id:int}/fix/{rule}")
def fix_one(request: Request, user: Biller, claim_id: int, rule: str) -> Response:
    def action(uow: UnitOfWork) -> str:
        run, rules = _run(request)
        outcome = apply_safe_fixes(uow, claim_id, run, rules, rule=rule.upper())
        return f"Applied {'; '.join(outcome.applied)}. {_status_text(outcome.status)}"

    return _change(request, user, claim_id, action)


@router.post("/claims/{claim_id:int}/lines/{line_id:int}")
def edit_line(
    request: Request,
    user: Biller,
    claim_id: int,
    line_id: int,
    units: Annotated[str, Form()] = "",
    modifiers: Annotated[str | None, Form()] = None,
    charge: Annotated[str, Form()] = "",
) -> Response:
    try:  # a field the form got wrong is the biller's to correct: 422 naming it, not 409
        count = units.strip()
        if count and not (count.isascii() and count.isdigit() and int(count) <= 999):
            raise OtbillError(f"units {units!r}: a whole number of units (0-999)")
        mods = parse_modifiers(modifiers) if modifiers is not None else None
        amount = parse_charge(charge) if charge.strip() else None
    except OtbillError as error:
        return _page(request, user, claim_id, str(error), status_code=422)

    def action(uow: UnitOfWork) -> str:
        n = int(count) if count else None
        if line_unchanged(uow, claim_id, line_id, modifiers=mods, units=n, charge=amount):
            return "Nothing changed, so nothing was saved: the claim and its history are as before."
        run, rules = _run(request)
        status, repriced = edit_claim_line(uow, claim_id, line_id, modifiers=mods,
                                           units=int(count) if count else None, charge=amount,
                                           run=run, rules=rules)  # fmt: skip
        priced = (
            f" The charge was repriced for the new units: ${repriced:,.2f}." if repriced else ""
        )
        return f"Line saved and the claim re-scrubbed.{priced} {_status_text(status)}"

    return _change(request, user, claim_id, action, refused=422)  # e.g. "charge: ... type it"


@router.post("/claims/{claim_id:int}/rescrub")
def rescrub(request: Request, user: Biller, claim_id: int) -> Response:
    def action(uow: UnitOfWork) -> str:
        run, rules = _run(request)
        return f"Re-scrubbed. {_status_text(claims.rescrub(uow, claim_id, run, rules))}"

    return _change(request, user, claim_id, action)


@router.post("/claims/{claim_id:int}/approve")
def approve(request: Request, user: Approver, claim_id: int) -> Response:
    def action(uow: UnitOfWork) -> str:
        claims.approve(uow, claim_id, today(request))
        return "Approved: the claim is waiting to be sent with the next batch."

    return _change(request, user, claim_id, action)
