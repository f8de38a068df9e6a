"""``POST /api/claims/{claim}/correction``: a corrected (7) or void (8) claim of a claim the payer
has, citing the payer's claim number (REF*F8); billers (and admins) only.

201 with the new claim (id, number, scrubbed status, frequency, the original and the payer's
number it cites); 404 for a claim not in the clinic; 422 in plain words when it cannot be
corrected now (no payer's claim number yet, not sent, a correction of it not sent yet, no reason):
:mod:`otbill.services.claims.corrections`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from otbill.services.claims.corrections import MAX_REASON, correct_claim, frequency_of
from otbill.web.app import scrub_run, wiring
from otbill.web.routes.api import api_user, domain_errors, unit_of_work
from otbill.web.security import SessionUser

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["claims"])

Biller = Annotated[SessionUser, Depends(api_user("biller"))]


class CorrectionIn(BaseModel):
    """What to send: 7 replaces the claim at the payer, 8 cancels it; the reason goes on both
    claims' histories."""

    frequency: Literal[7, 8, "7", "8"] = Field(description="CLM05-3: 7 corrected, 8 void")
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="why, in words")


class CorrectionOut(BaseModel):
    id: int
    number: str = Field(description="the new claim's number (CLM01)")
    status: str = Field(description="after scrubbing: ready or held; approval comes next")
    frequency: str
    original_id: int
    original_number: str
    payer_claim_number: str = Field(description="the original's number at the payer (REF*F8)")


@router.post(
    "/claims/{claim}/correction",
    response_model=CorrectionOut,
    status_code=201,
    summary="Correct or void a claim",
)
def correct(request: Request, user: Biller, claim: str, body: CorrectionIn) -> Any:
    """A corrected (7) or void (8) claim of ``claim`` (id or number), scrubbed, for approval."""
    with domain_errors(), unit_of_work(request, user) as uow:
        made = correct_claim(uow, claim, frequency_of(str(body.frequency)), body.reason,
                             scrub_run(request), wiring(request).rules)  # fmt: skip
        return made.as_json()
