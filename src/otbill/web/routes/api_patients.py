"""The JSON API's front desk: find, register and edit patients; their coverage and documents.

Reads are open to the front desk, billers and auditors; finding a patient and listing their
coverages also to therapists (to record a visit through ``POST /api/visits``); changes to the
front desk and billers (admins always). A possible duplicate (same name and birth date) answers 409 until the request
says ``duplicate_ok``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from otbill import clock
from otbill.services.frontdesk import coverage, documents, registration
from otbill.services.frontdesk.patient_file import PatientFile, patient_file
from otbill.services.frontdesk.registration import PossibleDuplicate
from otbill.storage import UnitOfWork
from otbill.web.app import today, wiring
from otbill.web.routes.api import api_user, domain_errors, unit_of_work
from otbill.web.routes.api_patient_models import (
    CoverageEndIn,
    CoverageIn,
    CoverageListOut,
    CoverageOut,
    DocumentOut,
    EligibilityCheckIn,
    PatientIn,
    PatientOut,
    PatientSearchOut,
    PatientSummary,
)
from otbill.web.security import SessionUser

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["patients"])
Reader = Annotated[SessionUser, Depends(api_user("front-desk", "biller", "auditor"))]
Clerk = Annotated[SessionUser, Depends(api_user("front-desk", "biller"))]
Finder = Annotated[SessionUser, Depends(api_user("front-desk", "biller", "auditor", "therapist"))]
_BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": _BINARY,
        "description": "a PNG, JPEG or PDF file, at most 10 MB",
    }
}


def _summary(p: Any) -> PatientSummary:
    return PatientSummary(
        id=p.id, account_number=p.mrn, first_name=p.first_name, last_name=p.last_name, dob=p.dob
    )


def _out(file: PatientFile) -> PatientOut:
    p, reg = file.patient, file.registration
    docs = [
        DocumentOut(**{f: getattr(d, f) for f in DocumentOut.model_fields}) for d in file.documents
    ]
    return PatientOut(
        **_summary(p).model_dump(),
        sex=p.sex,
        preferred_name=reg.preferred_name,
        phone=reg.phone,
        email=reg.email,
        self_pay=reg.self_pay,
        coverages=[CoverageOut.of(line) for line in file.coverages],
        documents=docs,
    )


def _file(request: Request, uow: UnitOfWork, patient_id: int) -> PatientOut:
    return _out(patient_file(uow, patient_id, today(request)))


@router.get("/patients", response_model=PatientSearchOut, summary="Search patients")
def search(
    request: Request,
    user: Finder,
    q: Annotated[str, Query(max_length=200, description="name, member ID or account")] = "",
    dob: dt.date | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Any:
    """Patients by name ("Lee" or "Lee, Ann"), member ID, account number or birth date; 25 a page."""
    with unit_of_work(request, user) as uow:
        found = registration.search_patients(uow, text=q, dob=dob, page=page)
    items = [_summary(p) for p in found.patients]
    return PatientSearchOut(items=items, total=found.total, page=found.page, pages=found.pages)


@router.post("/patients", response_model=PatientOut, status_code=201, summary="Register a patient")
def register(request: Request, user: Clerk, patient: PatientIn) -> Any:
    """A new patient with a new account number; 409 for a possible duplicate."""
    with domain_errors(), unit_of_work(request, user) as uow:
        try:
            patient_id = registration.register_patient(
                uow,
                patient.details(),
                today=today(request),
                duplicate_acknowledged=patient.duplicate_ok,
            )
        except PossibleDuplicate as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
        return _file(request, uow, patient_id)


@router.get("/patients/{patient_id}", response_model=PatientOut, summary="A patient")
def get_patient(request: Request, user: Reader, patient_id: int) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        return _file(request, uow, patient_id)


@router.get(
    "/patients/{patient_id}/coverages",
    response_model=CoverageListOut,
    summary="A patient's coverages",
)
def list_coverages(request: Request, user: Finder, patient_id: int) -> Any:
    """Every coverage of the patient, primary first, with whether it is in force today."""
    with domain_errors(), unit_of_work(request, user) as uow:
        file = patient_file(uow, patient_id, today(request))
    return CoverageListOut(items=[CoverageOut.of(line) for line in file.coverages])


@router.put("/patients/{patient_id}", response_model=PatientOut, summary="Edit a patient")
def edit_patient(request: Request, user: Clerk, patient_id: int, patient: PatientIn) -> Any:
    """Replace the patient's demographics and registration; the account number stays."""
    with domain_errors(), unit_of_work(request, user) as uow:
        registration.edit_patient(uow, patient_id, patient.details(), today=today(request))
        return _file(request, uow, patient_id)


@router.post(
    "/patients/{patient_id}/coverages",
    response_model=CoverageOut,
    status_code=201,
    summary="Add a coverage",
)
def add_coverage(request: Request, user: Clerk, patient_id: int, body: CoverageIn) -> Any:
    """A coverage checked as at the front desk (member ID per payer profile, overlaps, dates)."""
    profiles = wiring(request).profiles
    with domain_errors(), unit_of_work(request, user) as uow:
        coverage_id = coverage.enrol(uow, patient_id, body.details(), profiles)
        lines = coverage.coverage_history(uow, patient_id, today(request))
    return CoverageOut.of(next(line for line in lines if line.coverage.id == coverage_id))


@router.post("/coverages/{coverage_id}/end", response_model=CoverageOut, summary="End a coverage")
def end_coverage(request: Request, user: Clerk, coverage_id: int, body: CoverageEndIn) -> Any:
    """The coverage ends on ``last_day``; claims billed to it keep it."""
    with domain_errors(), unit_of_work(request, user) as uow:
        coverage.end_coverage(uow, coverage_id, body.last_day)
        patient_id = uow.patients.coverage(coverage_id).patient_id
        lines = coverage.coverage_history(uow, patient_id, today(request))
    return CoverageOut.of(next(line for line in lines if line.coverage.id == coverage_id))


@router.post(
    "/coverages/{coverage_id}/eligibility-check",
    response_model=CoverageOut,
    summary="Record an eligibility check",
)
def eligibility_check(
    request: Request, user: Clerk, coverage_id: int, body: EligibilityCheckIn
) -> Any:
    """An eligibility check made by phone or the payer's portal (ELG001 reads its date)."""
    with domain_errors(), unit_of_work(request, user) as uow:
        coverage.record_eligibility_check(
            uow, coverage_id, on=body.checked_on, active=body.active, today=today(request)
        )
        patient_id = uow.patients.coverage(coverage_id).patient_id
        lines = coverage.coverage_history(uow, patient_id, today(request))
    return CoverageOut.of(next(line for line in lines if line.coverage.id == coverage_id))


@router.post(
    "/patients/{patient_id}/documents",
    response_model=DocumentOut,
    status_code=201,
    summary="Attach a document",
    openapi_extra=_DOCUMENT_BODY,
)
async def attach(
    request: Request,
    user: Clerk,
    patient_id: int,
    kind: Annotated[str, Query(description=", ".join(documents.DOCUMENT_KINDS))] = "other",
    filename: Annotated[str, Query(max_length=200)] = "document",
) -> Any:
    """Attach the request body (PNG, JPEG or PDF by its content; at most 10 MB)."""
    content = b""
    async for chunk in request.stream():
        content += chunk
        if len(content) > documents.MAX_BYTES:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "document larger than 10 MB")
    now = clock.utcnow()

    def store() -> Any:
        with domain_errors(), unit_of_work(request, user) as uow:
            doc_id = documents.attach_document(
                uow, patient_id, kind=kind, filename=filename, content=content, now=now
            )
            return next(d for d in documents.patient_documents(uow, patient_id) if d.id == doc_id)

    document = await run_in_threadpool(store)
    return DocumentOut(**{f: getattr(document, f) for f in DocumentOut.model_fields})


@router.get(
    "/documents/{document_id}",
    summary="Download a document",
    responses={
        200: {"content": _BINARY | {"image/png": {}, "image/jpeg": {}, "application/pdf": {}}}
    },
)
def download(request: Request, user: Reader, document_id: int) -> Response:
    with domain_errors(), unit_of_work(request, user) as uow:
        found = documents.document_download(uow, document_id)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    return Response(found.content, media_type=found.document.content_type, headers=headers)
