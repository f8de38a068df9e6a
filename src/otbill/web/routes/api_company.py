"""The JSON API of a billing company's grants: who of the company works in which clinic, and the
owner granting or revoking one of their clinics (the same services as the grants page: audited
in the clinic, checked). A clinic's own user gets a 404 in words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from otbill.services.clinic.companies import (
    company_users,
    granted_clinics,
    owner_grants_clinic,
    owner_revokes_clinic,
)
from otbill.web.routes.api import api_user, domain_errors
from otbill.web.routes.company import access_of
from otbill.web.security import SessionUser

router = APIRouter(prefix="/api/company", tags=["billing company"])
Anyone = Annotated[SessionUser, Depends(api_user())]


class GrantIn(BaseModel):
    username: str = Field(max_length=60, description="The company user given the clinic.")
    clinic_id: int = Field(ge=1, le=2**63 - 1, description="One of the owner's clinics.")
    roles: list[str] = Field(min_length=1, max_length=6, description="Roles in that clinic.")


class ClinicGrantOut(BaseModel):
    clinic_id: int
    clinic_code: str
    roles: list[str]


class CompanyUserOut(BaseModel):
    username: str
    full_name: str
    owner: bool
    clinics: list[ClinicGrantOut]


class GrantsOut(BaseModel):
    company: str
    users: list[CompanyUserOut]


@router.get("/grants", response_model=GrantsOut, summary="The company's users and their clinics")
def list_grants(request: Request, user: Anyone) -> GrantsOut:
    access = access_of(request, user)
    db = request.app.state.db
    users = [
        CompanyUserOut(
            username=u.username,
            full_name=u.full_name,
            owner=u.owner,
            clinics=[
                ClinicGrantOut(
                    clinic_id=g.clinic_id, clinic_code=g.clinic_code, roles=list(g.roles)
                )
                for g in granted_clinics(db, u.id)
            ],
        )
        for u in company_users(db, access.company.code)
    ]
    return GrantsOut(company=access.company.code, users=users)


@router.post("/grants", status_code=201, summary="Grant one of the owner's clinics")
def add_grant(request: Request, user: Anyone, body: GrantIn) -> dict[str, int]:
    access = access_of(request, user)
    with domain_errors():
        linked = owner_grants_clinic(
            request.app.state.db, access, body.username, body.clinic_id, body.roles
        )
    return {"user_id": linked}


@router.delete("/grants/{clinic_id:int}/{username}", summary="Revoke a clinic from a user")
def delete_grant(request: Request, user: Anyone, clinic_id: int, username: str) -> dict[str, int]:
    access = access_of(request, user)
    with domain_errors():
        ended = owner_revokes_clinic(request.app.state.db, access, username, clinic_id)
    return {"sessions_ended": ended}
