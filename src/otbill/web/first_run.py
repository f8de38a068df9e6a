"""Until the database holds a clinic, every page leads to the first-run page.

Why a middleware: on an empty database nobody can log in, so without it every page would send
the visitor to a login form that cannot succeed. Once a clinic exists the answer is kept (clinics
are never deleted) and the check costs nothing; the API answers 503 with a plain message.
"""

from __future__ import annotations

import hmac
import logging
import secrets

from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from otbill.services.clinic.identity import needs_first_run

__all__ = [
    "FIRST_RUN_PATH",
    "FirstRunGate",
    "clinic_exists",
    "first_run_code",
    "is_first_run_code",
    "new_first_run_code",
]

FIRST_RUN_PATH = "/setup"
_OPEN = (FIRST_RUN_PATH, "/static/")


def new_first_run_code() -> str:
    """A code for the first run, shown only where otbill was started (its console)."""
    return secrets.token_urlsafe(9)


def first_run_code(app: object) -> str:
    """The code the first-run form asks for.

    Why a code: until a clinic exists the first-run page is open, and whoever fills it in first
    becomes the clinic's administrator. ``otbill serve`` prints the code (in the /setup link it
    shows); an app started another way logs it once at warning level. Nobody who cannot read the
    server's console can take the empty instance over from the network."""
    state = app.state  # type: ignore[attr-defined]
    code = getattr(state, "first_run_code", None)
    if not code:
        code = state.first_run_code = new_first_run_code()
        logging.getLogger("otbill").warning("No clinic yet: the first-run code is %s", code)
    return str(code)


def is_first_run_code(app: object, typed: str) -> bool:
    return hmac.compare_digest(typed.strip().encode(), first_run_code(app).encode())


def clinic_exists(app: object) -> bool:
    """Whether the app's database holds a clinic (remembered once true)."""
    state = app.state  # type: ignore[attr-defined]
    if not getattr(state, "clinic_exists", False):
        state.clinic_exists = not needs_first_run(state.db)
    return bool(state.clinic_exists)


class FirstRunGate:
    """ASGI middleware: on an empty database, redirect every page but ``/setup`` to it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(_OPEN) or clinic_exists(scope["app"]):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            from otbill.web.api_errors import error_body

            message = error_body(503, "otbill is not set up yet: create the clinic at /setup")
            response: Response = JSONResponse(message, status_code=503)
        else:
            response = RedirectResponse(FIRST_RUN_PATH, status_code=303)
        await response(scope, receive, send)
