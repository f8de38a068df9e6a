"""The JSON API's referrals and plans of care: physicians, referrals, plans, the signature,
recertification, the queue and the printable request.

Reads are open to the front desk, billers, therapists and auditors; physicians, referrals and
signatures to the front desk, billers and therapists; writing a plan to therapists (admins
always). Bad input answers 422 with the service's message naming the field.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from otbill.services.frontdesk import plans_of_care as plans
from otbill.services.frontdesk import referrals
from otbill.services.frontdesk.plan_queue import (
    certification_request_pdf,
    patient_plans,
    plan_page,
    plan_queue,
)
from otbill.storage import UnitOfWork
from otbill.web.app import today
from otbill.web.routes.api import api_user, domain_errors, unit_of_work
from otbill.web.routes.api_plan_models import (
    PhysicianIn,
    PhysicianOut,
    PlanIn,
    PlanLineOut,
    PlanOut,
    RecertifyIn,
    ReferralIn,
    ReferralOut,
    SignatureIn,
)
from otbill.web.security import SessionUser

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["plans of care"])
Reader = Annotated[SessionUser, Depends(api_user("front-desk", "biller", "therapist", "auditor"))]
Desk = Annotated[SessionUser, Depends(api_user("front-desk", "biller", "therapist"))]
Therapist = Annotated[SessionUser, Depends(api_user("therapist"))]


def _one(request: Request, uow: UnitOfWork, plan_id: int) -> PlanOut:
    return PlanOut.of_page(plan_page(uow, plan_id, today(request)))


@router.get("/physicians", response_model=list[PhysicianOut], summary="Search physicians")
def search_physicians(request: Request, user: Reader, q: str = "", page: int = 1) -> Any:
    """One page (25) of physicians whose name or NPI contains ``q``."""
    with unit_of_work(request, user) as uow:
        return [dataclasses.asdict(p) for p in referrals.find_physicians(uow, q, page)]


@router.post("/physicians", response_model=PhysicianOut, status_code=201,
             summary="Add a referring/certifying physician")  # fmt: skip
def add_physician(request: Request, user: Desk, body: PhysicianIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        new = referrals.add_physician(uow, first_name=body.first_name, last_name=body.last_name,
                                      npi_number=body.npi, fax=body.fax, phone=body.phone)  # fmt: skip
        return dataclasses.asdict(referrals.get_physician(uow, new))


@router.put("/physicians/{physician_id}", response_model=PhysicianOut,
            summary="Correct a physician")  # fmt: skip
def change_physician(request: Request, user: Desk, physician_id: int, body: PhysicianIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        referrals.change_physician(uow, physician_id, first_name=body.first_name,
                                   last_name=body.last_name, npi_number=body.npi, fax=body.fax,
                                   phone=body.phone)  # fmt: skip
        return dataclasses.asdict(referrals.get_physician(uow, physician_id))


@router.get("/patients/{patient_id}/referrals", response_model=list[ReferralOut],
            summary="A patient's referrals")  # fmt: skip
def list_referrals(request: Request, user: Reader, patient_id: int) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        return [dataclasses.asdict(r) for r in referrals.patient_referrals(uow, patient_id)]


@router.post("/patients/{patient_id}/referrals", response_model=ReferralOut, status_code=201,
             summary="Record a referral")  # fmt: skip
def add_referral(request: Request, user: Desk, patient_id: int, body: ReferralIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        new = referrals.record_referral(uow, patient_id=patient_id, **body.model_dump(),
                                        today=today(request))  # fmt: skip
        return dataclasses.asdict(referrals.get_referral(uow, new))


@router.get("/patients/{patient_id}/plans", response_model=list[PlanLineOut],
            summary="A patient's plans of care")  # fmt: skip
def list_plans(request: Request, user: Reader, patient_id: int) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        return [PlanLineOut.of(line) for line in patient_plans(uow, patient_id, today(request))]


@router.get("/plans/queue", response_model=list[PlanLineOut], summary="Plan-of-care queue")
def queue(request: Request, user: Reader) -> Any:
    """Plans awaiting the physician's signature, then those due for recertification within
    14 days or overdue."""
    with unit_of_work(request, user) as uow:
        return [PlanLineOut.of(line) for line in plan_queue(uow, today(request))]


@router.get("/plans/{plan_id}", response_model=PlanOut, summary="Read a plan of care")
def read(request: Request, user: Reader, plan_id: int) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        return _one(request, uow, plan_id)


@router.get("/plans/{plan_id}/request.pdf", summary="The certification request (PDF)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})  # fmt: skip
def request_pdf(request: Request, user: Reader, plan_id: int) -> Response:
    with domain_errors(), unit_of_work(request, user) as uow:
        data = certification_request_pdf(uow, plan_id, today(request))
    return Response(data, media_type="application/pdf")


@router.post("/plans", response_model=PlanOut, status_code=201, summary="Write a plan of care")
def write(request: Request, user: Therapist, body: PlanIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        new = plans.write_plan(uow, plans.PlanInput(**body.model_dump()))
        return _one(request, uow, new)


@router.put("/plans/{plan_id}", response_model=PlanOut,
            summary="Correct a plan of care before it is signed")  # fmt: skip
def change(request: Request, user: Therapist, plan_id: int, body: PlanIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        plans.change_plan(uow, plan_id, plans.PlanInput(**body.model_dump()))
        return _one(request, uow, plan_id)


@router.post("/plans/{plan_id}/signature", response_model=PlanOut,
             summary="Record the physician's signature (the certification)")  # fmt: skip
def sign(request: Request, user: Desk, plan_id: int, body: SignatureIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        plans.record_signature(uow, plan_id, **body.model_dump(), today=today(request))
        return _one(request, uow, plan_id)


@router.post("/plans/{plan_id}/recertification", response_model=PlanOut, status_code=201,
             summary="Write the next 90-day plan (recertification)")  # fmt: skip
def recertify(request: Request, user: Therapist, plan_id: int, body: RecertifyIn) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        new = plans.recertify(uow, plan_id, goals=body.goals or None)
        return _one(request, uow, new)
