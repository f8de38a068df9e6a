"""The JSON API for integrators: claims and scrubbing (visits and remittances: ``api_records``).

Authentication: ``Authorization: Bearer <token>`` (an API token of a user, made on the admin page)
or the browser session. Roles are the web's: therapist visits only; biller claims and remittances;
approver and auditor read; admin everything. :class:`otbill.web.bearer.BearerTokenMiddleware` checks the token
before the app's CSRF check runs, and marks the request as token-authenticated (no browser sends
a bearer token by itself, so such requests need no CSRF token); an unknown or revoked token is
refused with 401 at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPBearer

from otbill.domain.claim import Claim
from otbill.domain.claim_json import ClaimFileError, ClaimInputError, parse_claims
from otbill.domain.record_errors import NotFound, PermissionDenied
from otbill.errors import ConfigError, OtbillError
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.rules.selection import select_rules
from otbill.services.claims.scrub import scrub_claims, summarize
from otbill.services.views import claim_search
from otbill.services.views.claims import claim_detail
from otbill.storage import UnitOfWork
from otbill.web.app import scrub_run, wiring
from otbill.web.routes.api_models import ClaimDetailOut, ClaimPage, ScrubOut
from otbill.web.security import SessionUser, allowed

__all__ = ["api_user", "domain_errors", "router"]

router = APIRouter(prefix="/api", tags=["claims"])
_bearer = HTTPBearer(auto_error=False, description="an API token from the admin page")
MAX_PAGE = 500


def api_user(*roles: str) -> Callable[..., SessionUser]:
    """A dependency: the token's user (bearer) or the session's, holding one of ``roles``."""

    def dependency(request: Request, _token: Annotated[Any, Depends(_bearer)]) -> SessionUser:
        uid = getattr(request.state, "api_user_id", None)
        user: SessionUser | None
        if uid is not None:
            user = request.app.state.users.get(int(uid))
            request.state.user = user
        else:
            user = getattr(request.state, "user", None)
        return allowed(user, roles, "this")

    return dependency


@contextmanager
def domain_errors() -> Iterator[None]:
    """Domain errors as HTTP answers: not found 404, not allowed 403, anything else 422."""
    try:
        yield
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except PermissionDenied as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc
    except OtbillError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


def unit_of_work(request: Request, user: SessionUser) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.db.unit_of_work(user.clinic_id, user.id)
    return uow


ClaimReader = Annotated[SessionUser, Depends(api_user("biller", "approver", "auditor"))]


@router.get("/claims", response_model=ClaimPage, summary="Find claims")
def list_claims(
    request: Request,
    user: ClaimReader,
    status_: Annotated[str | None, Query(alias="status", description="e.g. held, paid")] = None,
    payer_id: Annotated[int | None, Query(description="the payer's id")] = None,
    date_from: Annotated[dt.date | None, Query(description="first date of service")] = None,
    date_to: Annotated[dt.date | None, Query(description="last date of service")] = None,
    patient: Annotated[str | None, Query(description="the patient's name or MRN")] = None,
    number: Annotated[str | None, Query(description="part of the claim number")] = None,
    payer_claim_number: Annotated[str | None, Query(description="the payer's, in part")] = None,
    amount_min: Annotated[str | None, Query(description="lowest total charge, dollars")] = None,
    amount_max: Annotated[str | None, Query(description="highest total charge, dollars")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Claims of any status matching every filter given, oldest date of service first; page
    with ``limit`` and ``offset`` (the search of the web's Find a claim page)."""
    typed = {"status": status_, "payer": payer_id, "date_from": date_from, "date_to": date_to,
             "patient": patient, "number": number, "payer_claim_number": payer_claim_number,
             "amount_min": amount_min, "amount_max": amount_max}  # fmt: skip
    params = {k: str(v) for k, v in typed.items() if v is not None}
    with domain_errors(), unit_of_work(request, user) as uow:
        filters, _ = claim_search.parse_search(params)
        return claim_search.api_page(uow, filters, limit=limit, offset=offset)


@router.get("/claims/{claim}", response_model=ClaimDetailOut, summary="One claim")
def get_claim(request: Request, user: ClaimReader, claim: str) -> Any:
    """A claim by id or by claim number: lines, findings and status history."""
    with domain_errors(), unit_of_work(request, user) as uow:
        return claim_detail(uow, claim)


def _scrub_setup(request: Request, select: str, ignore: str) -> tuple[ScrubContext, list[Rule]]:
    """The day's scrub context (a fresh batch over what the app loaded) and the selected rules."""
    split = [[p.strip() for p in v.split(",") if p.strip()] for v in (select, ignore)]
    rules = select_rules(wiring(request).rules, split[0], split[1])
    return scrub_run(request), rules


def _input_errors(errors: list[ClaimInputError]) -> HTTPException:
    detail = [
        {
            "claim": e.claim_id or f"#{e.position}",
            "position": e.position,
            "field": e.field,
            "message": str(e),
        }
        for e in errors
    ]
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)


async def _raw_body(request: Request) -> bytes:
    """The body as sent: claim JSON is read by ``parse_claims``, not by FastAPI, so that text that
    is not UTF-8, nested too deep or with a huge number is a 422 saying so (FastAPI's own parser
    answers 400 "There was an error parsing the body", or fails later with a 500)."""
    return await request.body()


_CLAIMS_BODY = {
    "requestBody": {
        "required": True,
        "description": "otbill claim JSON (version 1): one claim or a list; see `otbill schema`",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
                }
            }
        },
    }
}


@router.post(
    "/scrub",
    response_model=ScrubOut,
    tags=["scrub"],
    summary="Scrub claims",
    openapi_extra=_CLAIMS_BODY,
)
def scrub(
    request: Request,
    _user: Annotated[SessionUser, Depends(api_user("biller", "approver", "auditor"))],
    body: Annotated[bytes, Depends(_raw_body)],
    select: Annotated[str, Query(description="rule code prefixes to run, e.g. MOD,UNT001")] = "",
    ignore: Annotated[str, Query(description="rule code prefixes to skip")] = "",
) -> Any:
    """Check claims against every rule, like ``otbill scrub --format json``; nothing is stored."""
    try:
        items = parse_claims(body)
        run, rules = _scrub_setup(request, select, ignore)
    except (ClaimFileError, ConfigError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    errors = [i for i in items if isinstance(i, ClaimInputError)]
    if errors:
        raise _input_errors(errors)
    outcome = scrub_claims([i for i in items if isinstance(i, Claim)], run, rules)
    return {"claims": [r.as_json() for r in outcome.results], "summary": summarize(outcome.results)}
