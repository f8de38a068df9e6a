"""Server-side sessions for the browser: a pure-ASGI middleware in place of a signed cookie.

The cookie ``otbill_session`` holds only a random id. With a live session behind it (see
``otbill.services.clinic.sessions``) the request's ``session`` holds the user id and the session's
stored data (flash messages); without one, the id is an anonymous visitor's and only carries the
CSRF token of the login form. The CSRF token is derived from the id (HMAC with the app's secret
key), so nothing but the id is ever in the cookie.

At the end of a request: a ``uid`` newly set (a login) starts a server session under a *new* id
(an id planted before login is never promoted); a cleared ``uid`` (logout) ends the session and
issues a new anonymous id; other changes are stored with the session.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from otbill.services.clinic import sessions
from otbill.storage import Database
from otbill.storage.busy import RETRY_AFTER_SECONDS, DatabaseBusy

_log = logging.getLogger("otbill.web")

__all__ = ["COOKIE", "ServerSessions", "is_https"]

COOKIE = "otbill_session"
_OWN = (
    "uid",
    "csrf",
)  # kept in the session dict, never stored: the user is the row's, CSRF derived


def is_https(scope: Scope, trusted_proxies: tuple[str, ...]) -> bool:
    """Whether the browser reached us over HTTPS: directly, or through a trusted proxy that says
    so in ``X-Forwarded-Proto`` (a header anyone else could forge, so only proxies are believed)."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    client = scope.get("client")
    if client is None or client[0] not in trusted_proxies:
        return False
    headers = dict(scope.get("headers") or [])
    forwarded = headers.get(b"x-forwarded-proto", b"").decode("latin-1")
    return bool(forwarded.split(",")[0].strip().lower() == "https")


class ServerSessions:
    def __init__(
        self,
        app: ASGIApp,
        *,
        db: Callable[[], Database],
        secret: str,
        policy: sessions.SessionPolicy,
        always_secure: bool = False,
        trusted_proxies: tuple[str, ...] = (),
    ) -> None:
        self.app, self._db, self._secret = app, db, secret.encode()
        self.policy, self.always_secure, self.trusted = policy, always_secure, trusted_proxies

    def _csrf(self, session_id: str) -> str:
        return hmac.new(self._secret, b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = HTTPConnection(scope).cookies.get(COOKIE, "")
        now = sessions.session_clock()
        live = None
        if given:
            try:
                live = await run_in_threadpool(
                    sessions.resolve_session, self._db(), given, self.policy, now
                )
            except DatabaseBusy:  # before the app runs: its busy page cannot answer for us
                busy = PlainTextResponse(
                    "The database is busy, try again in a moment. Nothing was saved.",
                    status_code=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
                await busy(scope, receive, send)
                return
        session_id = given if given and len(given) <= 100 else sessions.new_session_id()
        data: dict[str, Any] = dict(live.data) if live else {}
        if live:
            data["uid"] = live.user_id
        data["csrf"] = self._csrf(session_id)
        scope["session"] = data
        before = dict(data)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    cookie = await self._after(scope, live, session_id, before, given)
                except DatabaseBusy:
                    # the page is already answered: a busy session store must not turn it into
                    # a 500. A login not recorded leaves the visitor logged out (they log in
                    # again); a logout not recorded still drops the cookie, and the session ends
                    # at its idle timeout.
                    _log.warning("session store busy; the session was not saved")
                    cookie = self._cookie(scope, sessions.new_session_id()) if live else None
                if cookie is not None:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _after(
        self,
        scope: Scope,
        live: sessions.LiveSession | None,
        session_id: str,
        before: dict[str, Any],
        given: str,
    ) -> str | None:
        """Store what the request changed; the Set-Cookie header to send, if any."""
        after: dict[str, Any] = scope["session"]
        uid = after.get("uid")
        kept = {k: v for k, v in after.items() if k not in _OWN}
        db, now = self._db(), sessions.session_clock()
        if live is not None and uid == live.user_id:
            if after != before:
                await run_in_threadpool(sessions.save_session, db, live, kept, self.policy, now)
            elif now - live.last_seen_at >= self.policy.touch_every:
                await run_in_threadpool(
                    sessions.save_session, db, live, live.data, self.policy, now
                )
            return None
        if live is not None:  # logout (uid cleared) or another user's login: this one ends
            await run_in_threadpool(sessions.end_session, db, live, "logout")
        if uid is not None:  # a login: a new id, never the one the browser brought
            client = scope.get("client")
            address = client[0] if client else None
            started = await run_in_threadpool(
                sessions.start_session, db, int(uid), address, kept, now
            )
            if started is not None:
                return self._cookie(scope, started)
        if live is not None or given != session_id or not given:
            return self._cookie(scope, sessions.new_session_id() if live else session_id)
        return None

    def _cookie(self, scope: Scope, session_id: str) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[COOKIE] = session_id
        morsel = cookie[COOKIE]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "lax"
        morsel["max-age"] = int(self.policy.absolute.total_seconds())
        if self.always_secure or is_https(scope, self.trusted):
            morsel["secure"] = True
        return morsel.OutputString()
