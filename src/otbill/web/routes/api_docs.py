"""The OpenAPI document and its browsable page, for integrators — behind a login like the rest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from otbill.web.security import SessionUser, require_roles

router = APIRouter()


@router.get("/api/openapi.json", include_in_schema=False)
def openapi_document(
    request: Request, _user: Annotated[SessionUser, Depends(require_roles())]
) -> dict[str, Any]:
    app = request.app
    if app.openapi_schema is None:
        app.openapi_schema = get_openapi(
            title="otbill API",
            version=app.version,
            description="Claims, visits, scrubbing and remittances. Authenticate with "
            "`Authorization: Bearer <token>` (an API token of a user; its roles apply).",
            routes=app.routes,
        )
    schema: dict[str, Any] = app.openapi_schema
    return schema


@router.get("/api/docs", include_in_schema=False)
def api_docs(_user: Annotated[SessionUser, Depends(require_roles())]) -> HTMLResponse:
    """A plain index of the API (no CDN assets: the machine may have no internet)."""
    return HTMLResponse(
        "<!doctype html><title>otbill API</title><h1>otbill API</h1>"
        '<p>The OpenAPI document is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>'
    )
