"""API tokens: a pure-ASGI middleware that authenticates ``Authorization: Bearer`` requests.

It runs before the app's dependencies, so that the CSRF check (``app._load_user``) knows the
request came with a token — no browser sends a bearer token by itself, so such requests need no
CSRF token — and which user it speaks for. An unknown, revoked or deactivated token is refused
with 401 at once.
"""

from __future__ import annotations

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from otbill.services.clinic.tokens import resolve_token
from otbill.web.api_errors import error_body

__all__ = ["BearerTokenMiddleware"]


class BearerTokenMiddleware:
    """Pure ASGI: on ``/api/`` requests with a bearer token, check it and mark the request.

    Sets ``scope["state"]["api_token"] = True`` (the app's CSRF check skips such requests) and
    ``scope["state"]["api_user_id"]``; an unknown, revoked or deactivated user's token gets 401.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"")
        if header[:7].lower() != b"bearer ":
            await self.app(scope, receive, send)
            return
        token = header[7:].decode("latin-1").strip()
        found = await run_in_threadpool(resolve_token, scope["app"].state.db, token)
        if found is None:
            refusal = JSONResponse(
                error_body(401, "invalid or revoked API token"),
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await refusal(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["api_token"] = True
        state["api_user_id"] = found[1]
        await self.app(scope, receive, send)
