"""Each request runs as of the app's day (``create_app(today=...)``; the demo's 2025-04-01).

Why a middleware: signatures, status history, the audit trail and the 837's date are written deep
in services and storage, which read the run's day from :mod:`otbill.clock`; setting it here, once
per request, makes the whole request agree with the pages' "today".
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from otbill import clock

__all__ = ["RunDay"]


class RunDay:
    """ASGI middleware: the request runs as of ``app.state.today`` (None: the machine's clock)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        owner = scope.get("app")
        day = getattr(getattr(owner, "state", None), "today", None)
        with clock.as_of(day):
            await self.app(scope, receive, send)
