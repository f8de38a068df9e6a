"""The OpenAPI document and its page, for integrators: public (it describes the API and holds no
data, so an integrator can read it before having an account), and the API's routes only.

Every route under ``/api/`` appears except these two; the HTML pages of the web app never do
(their paths do not start with ``/api/``). The document is built once per app.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from otbill.web.api_errors import ERROR_SHAPE

router = APIRouter()

_DESCRIPTION = (
    "Claims, visits, patients and their coverages, scrubbing and remittances. Authenticate with "
    "`Authorization: Bearer <token>` (an API token of a user; its roles apply). " + ERROR_SHAPE
)


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def api_only(schema: dict[str, Any]) -> dict[str, Any]:
    """The document with the ``/api/`` paths only and the component schemas they use."""
    paths = {p: v for p, v in schema.get("paths", {}).items() if p.startswith("/api/")}
    schemas = schema.get("components", {}).get("schemas", {})
    used: set[str] = set()
    _refs(paths, used)
    todo = list(used)
    while todo:  # schemas that refer to other schemas
        more: set[str] = set()
        _refs(schemas.get(todo.pop(), {}), more)
        todo += sorted(more - used)
        used |= more
    kept = {n: s for n, s in schemas.items() if n in used}
    components = {**schema.get("components", {}), "schemas": kept}
    return {**schema, "paths": paths, "components": components}


@router.get("/api/openapi.json", include_in_schema=False)
def openapi_document(request: Request) -> dict[str, Any]:
    app = request.app
    if app.openapi_schema is None:
        full = get_openapi(
            title="otbill API", version=app.version, description=_DESCRIPTION, routes=app.routes
        )
        app.openapi_schema = api_only(full)
    schema: dict[str, Any] = app.openapi_schema
    return schema


@router.get("/api/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    """A plain index of the API (no CDN assets: the machine may have no internet)."""
    return HTMLResponse(
        "<!doctype html><title>otbill API</title><h1>otbill API</h1>"
        '<p>The OpenAPI document is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>'
    )
