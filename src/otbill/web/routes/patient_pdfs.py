"""A patient's printable statements, from the patient page: the superbill (``from`` and ``to``
dates) and the Good Faith Estimate (services of one visit and visits, else from the records).

Open to the front desk, billers and auditors, like the patient page. Input that cannot make a
statement (dates the wrong way round, a code without a price) shows the error page with the
message naming the field; another clinic's patient is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.pdf.good_faith_estimate import render_good_faith_estimate
from otbill.pdf.superbill import render_superbill
from otbill.services.frontdesk.patient_documents import (
    good_faith_estimate,
    parse_services,
    superbill,
)
from otbill.web.app import today
from otbill.web.params import is_whole
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Reader = Annotated[SessionUser, Depends(require_roles("front-desk", "biller", "auditor"))]


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise HTTPException(422, f"{field} {value!r}: a date as YYYY-MM-DD") from exc


def _pdf(content: bytes, name: str) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/patients/{patient_id}/superbill.pdf", include_in_schema=False)
def superbill_pdf(
    request: Request,
    user: Reader,
    patient_id: int,
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
) -> Response:
    day = today(request)
    first = _date(start, "from") if start else day.replace(day=1)
    last = _date(end, "to") if end else day
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            bill = superbill(uow, patient_id, first, last)
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    except OtbillError as exc:
        raise HTTPException(422, str(exc)) from exc
    name = f"superbill-{patient_id}-{first.isoformat()}-{last.isoformat()}.pdf"
    return _pdf(render_superbill(bill, issued_on=day), name)


@router.get("/patients/{patient_id}/good-faith-estimate.pdf", include_in_schema=False)
def good_faith_estimate_pdf(
    request: Request,
    user: Reader,
    patient_id: int,
    services: Annotated[str, Query(max_length=200)] = "",
    visits: Annotated[str, Query(max_length=6)] = "",
) -> Response:
    day = today(request)
    if visits.strip() and not is_whole(visits.strip(), 3):
        raise HTTPException(422, f"visits {visits!r}: a whole number of visits")
    try:
        given = parse_services(services)
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            estimate = good_faith_estimate(
                uow, patient_id, day, services=given,
                visits=int(visits) if visits.strip() else None,
            )  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    except OtbillError as exc:
        raise HTTPException(422, str(exc)) from exc
    return _pdf(render_good_faith_estimate(estimate), f"good-faith-estimate-{patient_id}.pdf")
