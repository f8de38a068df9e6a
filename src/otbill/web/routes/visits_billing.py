"""Billing visits: build claims from every visit not billed yet, then back to the work queues.

The button lives in ``remittances/_build_claims.html`` (included on the remittances page and meant
for the queues page). Claims are built and scrubbed by ``services.claims.build.build_claims`` with
today's scrub context; each lands in the ready or held queue.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from otbill.errors import OtbillError
from otbill.services.claims.build import build_claims
from otbill.web.app import scrub_run, today, wiring
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


@router.post("/queues/build-claims")
def build(request: Request, user: Biller) -> Response:
    """Build claims for unbilled visits; the flash says how many are ready and how many held."""
    run = scrub_run(request)
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            report = build_claims(uow, run, wiring(request).rules, through=today(request))
    except OtbillError as error:
        request.session["flash"] = {"kind": "error", "text": f"No claim was built: {error}"}
        return RedirectResponse("/queues", status_code=303)
    built = len(report.claims)
    ready, held = report.by_status.get("ready", 0), report.by_status.get("held", 0)
    text = f"{built} claim{'' if built == 1 else 's'} built: {ready} ready, {held} held."
    if report.skipped:
        text += f" {report.skipped} visit(s) had nothing billable."
    if report.later:
        first = min(report.later)
        text += (
            f" {len(report.later)} visit(s) dated after today (the first on {first:%d %b %Y})"
            " were not billed: correct their dates."
        )
    paid = report.self_pay  # self-pay patients' visits: no claim, charges on their accounts
    if paid.charged or paid.by_package:
        text += (f" {len(paid.charged)} self-pay visit(s) charged to the patient's account,"
                 f" {len(paid.by_package)} paid by a package.")  # fmt: skip
    if paid.unpriced:
        text += " Not charged: " + "; ".join(paid.unpriced.values()) + "."
    kind = "warn" if held or report.later or paid.unpriced else "ok"
    request.session["flash"] = {"kind": kind, "text": text}
    return RedirectResponse("/queues", status_code=303)
