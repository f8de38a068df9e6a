"""One error shape for every ``/api`` answer: ``{"error": {"code", "message", "field"}}``.

Integrators read ``error.code`` (a word for the HTTP status: ``invalid``, ``not_found``,
``forbidden``, ``unauthorized``, ``conflict``, ...), ``error.message`` (one line for a person) and
``error.field`` (the request field at fault, ``lines[1].minutes`` or ``limit``, else null). A
request refused for several fields at once (claim JSON sent to ``/api/scrub``) also carries
``error.problems``, one ``{field, message, ...}`` each. ``detail`` repeats what FastAPI and the
first API versions answered, for clients written against them; new clients should read ``error``.

The handlers here wrap the app's own (HTML pages for the browser stay as they are): they answer
in this shape when the path starts with ``/api/``. Middleware that refuses before any route runs
(a bad token, a busy database, a database not set up) builds its body with :func:`error_body`.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ERROR_SHAPE", "error_body", "install_api_errors"]

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "too_many_requests", 503: "unavailable",
}  # fmt: skip

# "provider_id: required", "date: 2025-04-02 is after today": a leading field name and a colon
_FIELD = re.compile(r"^([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*): ")

ERROR_SHAPE = (
    'Every error answers `{"error": {"code": ..., "message": ..., "field": ...}}`: `code` names '
    "the HTTP status in a word (invalid, not_found, forbidden, unauthorized, conflict, "
    "too_large, unavailable), `message` is one line for a person, `field` the request field at "
    "fault or null; `detail` repeats the message for older clients."
)


def _field_of(message: str) -> str | None:
    match = _FIELD.match(message)
    return match.group(1) if match else None


def error_body(status_code: int, detail: Any) -> dict[str, Any]:
    """The body of an ``/api`` error from an HTTP status and a detail (text, or a list of
    problems each with ``message`` and ``field``)."""
    code = _CODES.get(status_code, "error" if status_code >= 500 else "bad_request")
    if isinstance(detail, list) and detail and all(isinstance(p, dict) for p in detail):
        first = detail[0]
        more = f" (and {len(detail) - 1} more)" if len(detail) > 1 else ""
        message = f"{first.get('message', first)}{more}"
        error = {"code": code, "message": message, "field": first.get("field")}
        return {"error": error | {"problems": detail}, "detail": detail}
    message = str(detail) if detail not in (None, "") else "error"
    return {
        "error": {"code": code, "message": message, "field": _field_of(message)},
        "detail": detail,
    }


def _validation_problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's validation errors as problems: the field path without its source (query,
    body, path) and FastAPI's message."""
    problems = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header")]
        field = ".".join(loc) or None
        text = str(e.get("msg", "invalid"))
        problems.append({"field": field, "message": f"{field}: {text}" if field else text})
    return problems


async def _delegate(handler: Any, request: Request, exc: Exception) -> Response:
    """Call the app's own handler (sync or async) for a request that is not the API's."""
    result = handler(request, exc)
    if inspect.isawaitable(result):
        result = await result
    return cast(Response, result)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_api_errors(app: FastAPI) -> None:
    """Answer ``/api`` errors in the one shape; other requests keep the app's handlers."""
    from otbill.web.security import NotLoggedIn

    pages = app.exception_handlers.get(StarletteHTTPException)
    login = app.exception_handlers.get(NotLoggedIn)
    validation = app.exception_handlers.get(RequestValidationError)

    async def http_error(request: Request, exc: Exception) -> Response:
        if _is_api(request) or pages is None:
            assert isinstance(exc, StarletteHTTPException)
            body = error_body(exc.status_code, exc.detail)
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        return await _delegate(pages, request, exc)

    async def not_logged_in(request: Request, exc: Exception) -> Response:
        if _is_api(request) or login is None:
            return JSONResponse(error_body(401, "log in first"), status_code=401)
        return await _delegate(login, request, exc)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        if not _is_api(request) and validation is not None:
            return await _delegate(validation, request, exc)
        assert isinstance(exc, RequestValidationError)
        return JSONResponse(error_body(422, _validation_problems(exc)), status_code=422)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(NotLoggedIn, not_logged_in)
    app.add_exception_handler(RequestValidationError, invalid_request)
