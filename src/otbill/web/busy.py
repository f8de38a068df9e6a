"""A busy database is a 503 page ("try again in a moment") with ``Retry-After``, never a 500.

Why: on SQLite a writer that waited out the busy timeout fails with "database is locked"; on
PostgreSQL a lock timeout or deadlock can end a request. Nothing was saved and trying again
succeeds, so the person is told exactly that (see :mod:`otbill.storage.busy`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from otbill.storage.busy import DRIVER_ERRORS, RETRY_AFTER_SECONDS, DatabaseBusy, is_busy

__all__ = ["BUSY_TEXT", "install_busy_page"]

BUSY_TEXT = "The database is busy, try again in a moment. Nothing was saved."


def _busy_page(request: Request, exc: Exception) -> Response:
    from otbill.web.app import render  # the app module imports this one

    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    wants_json = request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )
    if wants_json:
        from otbill.web.api_errors import error_body

        return JSONResponse(error_body(503, BUSY_TEXT), status_code=503, headers=headers)
    request.state.user = getattr(request.state, "user", None)
    page = render(request, "error.html", {"status": 503, "detail": BUSY_TEXT}, status_code=503)
    page.headers.update(headers)
    return page


def install_busy_page(app: FastAPI) -> None:
    """Answer :class:`DatabaseBusy` (and a driver's busy error that escaped a unit of work)."""

    @app.exception_handler(DatabaseBusy)
    async def database_busy(request: Request, exc: DatabaseBusy) -> Response:
        return _busy_page(request, exc)

    for error_class in DRIVER_ERRORS:

        @app.exception_handler(error_class)
        async def driver_busy(request: Request, exc: Exception) -> Response:
            if not is_busy(exc):
                raise exc  # a real failure: the server's own 500 handling
            return _busy_page(request, exc)
