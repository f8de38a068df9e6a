"""The JSON API's authorizations: open, log, move, ask the payer (278), read one, list, and the
work queue.

Reads are open to the front desk, billers and auditors; changes to the front desk and billers
(admins always). Bad input answers 422 with the service's message naming the field; a payer that
cannot be asked, or whose 278 cannot be read, answers 502 (nothing was kept).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field

from otbill.services.exchange.prior_auth import PriorAuthError, request_authorization
from otbill.services.frontdesk import authorizations as auths
from otbill.services.frontdesk.authorization_queue import (
    authorization_list,
    authorization_page,
    authorization_queue,
)
from otbill.storage import UnitOfWork
from otbill.web.app import today, wiring
from otbill.web.routes.api import domain_errors, unit_of_work
from otbill.web.routes.api_authorization_models import (
    AuthorizationIn,
    AuthorizationOut,
    AuthorizationQueueOut,
    AuthorizationSummaryOut,
    EntryIn,
    StatusIn,
)
from otbill.web.routes.api_patients import Clerk, Reader
from otbill.web.routes.authorizations import payer_line_278

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["authorizations"])


def _one(request: Request, uow: UnitOfWork, auth_id: int) -> AuthorizationOut:
    return AuthorizationOut.of_page(authorization_page(uow, auth_id, today(request)))


@router.get(
    "/authorizations", response_model=list[AuthorizationSummaryOut], summary="List authorizations"
)
def list_authorizations(request: Request, user: Reader, patient_id: int | None = None) -> Any:
    """Every authorization (or one patient's) with its running balance, by end date."""
    with unit_of_work(request, user) as uow:
        found = authorization_list(uow, today(request), patient_id)
    return [AuthorizationSummaryOut.of(s) for s in found]


@router.get(
    "/authorizations/queue", response_model=AuthorizationQueueOut, summary="Authorization queue"
)
def queue(request: Request, user: Reader, owner_id: int | None = None) -> Any:
    """Pending (with follow-up and owner), running out (14 days or 3 visits), denied."""
    with unit_of_work(request, user) as uow:
        q = authorization_queue(uow, today(request), owner_id)
    return AuthorizationQueueOut(
        pending=[AuthorizationSummaryOut.of(s) for s in q.pending],
        running_out=[AuthorizationSummaryOut.of(s) for s in q.running_out],
        denied=[AuthorizationSummaryOut.of(s) for s in q.denied],
    )


@router.get(
    "/authorizations/{auth_id}", response_model=AuthorizationOut, summary="Read an authorization"
)
def read(request: Request, user: Reader, auth_id: int) -> Any:
    """One authorization: its balance, its log in order, the moves open to it."""
    with domain_errors(), unit_of_work(request, user) as uow:
        return _one(request, uow, auth_id)


@router.post(
    "/authorizations",
    response_model=AuthorizationOut,
    status_code=201,
    summary="Open an authorization request",
)
def open_request(request: Request, user: Clerk, body: AuthorizationIn) -> Any:
    """A request on a coverage (or an approval the payer already gave), with its first entry."""
    with domain_errors(), unit_of_work(request, user) as uow:
        auth_id = auths.open_authorization(uow, **body.model_dump())
        return _one(request, uow, auth_id)


@router.post(
    "/authorizations/{auth_id}/entries",
    response_model=AuthorizationOut,
    status_code=201,
    summary="Log a request, reply, call, fax, portal message or document",
)
def log(request: Request, user: Clerk, auth_id: int, body: EntryIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        auths.log_entry(uow, auth_id, **body.model_dump())
        return _one(request, uow, auth_id)


@router.post(
    "/authorizations/{auth_id}/status",
    response_model=AuthorizationOut,
    summary="Change an authorization's status",
)
def move(request: Request, user: Clerk, auth_id: int, body: StatusIn) -> Any:
    """requested -> pending -> approved, partially approved or denied; others answer 422."""
    with domain_errors(), unit_of_work(request, user) as uow:
        auths.change_status(uow, auth_id, **body.model_dump())
        return _one(request, uow, auth_id)


class PayerAnswerOut(BaseModel):
    """What the payer's 278 said and what it did to the authorization."""

    trace: str = Field(
        description="our request's trace number (TRN02), the request entry's reference"
    )
    decision: str = Field(
        description="approved, partially-approved, denied, pended, cancelled or not-answered"
    )
    certification_number: str = Field(description="the payer's authorization number, when given")
    message: str = Field(description="the answer and the new status in one sentence")
    lines: list[str] = Field(description="the payer's answer in plain words")
    follow_up_on: dt.date | None = Field(
        None, description="when a person must look again (pended or not decided)"
    )
    authorization: AuthorizationOut


@router.post(
    "/authorizations/{auth_id}/request-278",
    response_model=PayerAnswerOut,
    summary="Ask the payer for the authorization (278) and apply its answer",
)
def request_278(request: Request, user: Clerk, auth_id: int) -> Any:
    """A requested or pending authorization goes to the payer as a 278 request; its answer moves
    the status (approved with the number, dates and visits; denied with the reason; pended with a
    follow-up date). 422 when the authorization cannot be asked for (its status, a missing
    diagnosis); 502 when the payer cannot be asked or its answer cannot be read."""
    try:
        with domain_errors(), unit_of_work(request, user) as uow:
            done = request_authorization(
                uow, auth_id, transport=payer_line_278(request), today=today(request),
                profiles=wiring(request).profiles,
            )  # fmt: skip
            page = _one(request, uow, auth_id)
    except HTTPException as exc:
        if isinstance(exc.__cause__, PriorAuthError):
            raise HTTPException(status.HTTP_502_BAD_GATEWAY, str(exc.__cause__)) from exc
        raise
    return PayerAnswerOut(
        trace=done.trace, decision=done.decision,
        certification_number=done.certification_number, message=done.message,
        lines=done.lines, follow_up_on=done.follow_up_on, authorization=page,
    )  # fmt: skip
