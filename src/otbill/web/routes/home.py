"""The landing page: each role goes where its work is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from otbill.web.security import SessionUser, require_roles

router = APIRouter()

# First match wins: a user with several roles lands on the first page they may use.
_LANDING = (
    ("therapist", "/therapist"),
    ("biller", "/queues"),
    ("approver", "/queues/awaiting-approval"),
    ("auditor", "/dashboard"),
    ("admin", "/dashboard"),
)


@router.get("/")
def home(request: Request, user: Annotated[SessionUser, Depends(require_roles())]) -> Response:
    for role, path in _LANDING:
        if role in user.roles:
            return RedirectResponse(path, status_code=303)
    return RedirectResponse("/login", status_code=303)
