"""The JSON API's visits (therapists record them) and remittances (billers post 835s)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool

from otbill.services.remittances.post import post_remittance
from otbill.services.views.api import remittances_page, visits_page
from otbill.services.visits import record as visits
from otbill.web.app import today, wiring
from otbill.web.routes.api import MAX_PAGE, api_user, domain_errors, unit_of_work
from otbill.web.routes.api_models import (
    PostingReportOut,
    RemittancePage,
    VisitIn,
    VisitOut,
    VisitPage,
)
from otbill.web.security import SessionUser

router = APIRouter(prefix="/api")
MAX_835_BYTES = 20 * 1024 * 1024
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0)]


@router.get("/visits", response_model=VisitPage, tags=["visits"], summary="List visits")
def list_visits(
    request: Request,
    user: Annotated[SessionUser, Depends(api_user("therapist", "biller", "approver", "auditor"))],
    patient_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Visits, newest first. A therapist sees only the visits they rendered."""
    own = not user.has("biller", "approver", "auditor")
    if own and user.provider_id is None:
        return {"items": [], "limit": limit, "offset": offset, "next_offset": None}
    with unit_of_work(request, user) as uow:
        page = visits_page(
            uow, provider_id=user.provider_id if own else None, patient_id=patient_id,
            date_from=date_from, date_to=date_to, limit=limit, offset=offset,
        )  # fmt: skip
    return dataclasses.asdict(page)


@router.post(
    "/visits", response_model=VisitOut, status_code=201, tags=["visits"], summary="Record a visit"
)
def record_visit(
    request: Request,
    user: Annotated[SessionUser, Depends(api_user("therapist"))],
    visit: VisitIn,
) -> Any:
    """Record a visit with its minutes per code and a draft note; units are computed.

    The visit is the caller's own: the provider is the therapist linked to the account (as on the
    web's visit form); ``provider_id``, when given, must be that therapist. No role, admin
    included, records a visit as another provider through the API."""
    if user.provider_id is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "you record only your own visits, and your account is not linked to a therapist",
        )
    provider_id = visit.provider_id or user.provider_id
    if provider_id != user.provider_id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"provider_id: you record only your own visits (provider {user.provider_id})",
        )
    services = [
        visits.Service(s.code, s.minutes, s.distinct_service, tuple(s.modifiers))
        for s in visit.services
    ]
    with domain_errors(), unit_of_work(request, user) as uow:
        visit_id = visits.record_visit(
            uow,
            patient_id=visit.patient_id,
            coverage_id=visit.coverage_id,
            provider_id=provider_id,
            date=visit.date,
            services=services,
            note_type=visit.note_type,
            note=visit.note,
            place_of_service=visit.place_of_service,
            telehealth=visit.telehealth,
            profiles=wiring(request).profiles,
        )
        uow.flush()
        page = visits_page(uow, patient_id=visit.patient_id, date_from=visit.date,
                           date_to=visit.date, limit=MAX_PAGE)  # fmt: skip
    return next(v for v in page.items if v["id"] == visit_id)


@router.get(
    "/remittances", response_model=RemittancePage, tags=["remittances"], summary="Remittances"
)
def list_remittances(
    request: Request,
    user: Annotated[SessionUser, Depends(api_user("biller", "auditor"))],
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Remittances (835s) posted, newest payment date first."""
    with unit_of_work(request, user) as uow:
        return dataclasses.asdict(remittances_page(uow, limit=limit, offset=offset))


_X12_BODY = {
    "requestBody": {
        "required": True,
        "description": "the 835 file as sent by the payer or clearinghouse",
        "content": {
            "application/edi-x12": {"schema": {"type": "string", "format": "binary"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/remittances",
    response_model=PostingReportOut,
    tags=["remittances"],
    summary="Post an 835",
    openapi_extra=_X12_BODY,
)
async def upload_remittance(
    request: Request,
    user: Annotated[SessionUser, Depends(api_user("biller"))],
    name: Annotated[str, Query(max_length=255, description="the file's name, for the log")] = "",
) -> Any:
    """Post an 835 (the request body): match its payments to claims and post them to the ledger.

    The same file twice posts nothing the second time; a file with errors posts nothing (422).
    """
    data = await request.body()
    if not data.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "send the 835 as the body")
    if len(data) > MAX_835_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "835 larger than 20 MB")
    db, on = request.app.state.db, today(request)
    with domain_errors():
        report = await run_in_threadpool(
            post_remittance, db, user.clinic_id, user.id, data, name=name or "835", today=on
        )
    return dataclasses.asdict(report)
