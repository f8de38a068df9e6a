"""The web app factory: ``create_app(settings)`` wires sessions, CSRF, templates and routes."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from otbill import clock
from otbill.rules.context import ScrubContext
from otbill.services.clinic.sessions import SessionPolicy
from otbill.services.clinic.wiring import Wiring
from otbill.services.views.queue_cache import QueueCache
from otbill.settings import Settings
from otbill.storage import Database
from otbill.web.api_errors import install_api_errors
from otbill.web.bearer import BearerTokenMiddleware
from otbill.web.busy import install_busy_page
from otbill.web.clock import RunDay
from otbill.web.first_run import FirstRunGate
from otbill.web.headers import SecurityHeaders
from otbill.web.params import bounded_params
from otbill.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    NotLoggedIn,
    check_csrf,
    csrf_token,
)
from otbill.web.sessions import ServerSessions
from otbill.web.throttle_store import THROTTLE_FILE, SharedLoginThrottle
from otbill.web.users import UserCache

__all__ = ["create_app", "render", "scrub_run", "secret_key", "today", "wiring"]

_HERE = Path(__file__).parent
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def secret_key(settings: Settings) -> str:
    """The session-signing key: ``OTBILL_SECRET_KEY``, else one made once and kept (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


async def _load_user(request: Request) -> None:
    """Put the session's user (or None) on ``request.state.user``; check CSRF on unsafe methods."""
    request.state.user = None
    uid = getattr(request.state, "api_user_id", None) or request.session.get("uid")
    if uid is not None:
        request.state.user = request.app.state.users.get(int(uid))
    if request.method in _UNSAFE and not getattr(request.state, "api_token", False):
        submitted = request.headers.get(CSRF_HEADER)
        if submitted is None:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        check_csrf(request, submitted)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _install_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "log in first"}, status_code=401)
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    # Starlette's own class: an unknown path (404) or method (405) is raised before any route
    # runs, so a FastAPI-only handler would leave the browser with raw JSON.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        await _error_page_user(request)
        context = {"status": exc.status_code, "detail": exc.detail}
        return render(request, "error.html", context, status_code=exc.status_code)


async def _error_page_user(request: Request) -> None:
    """Who the error page is for (its navigation): no route ran when the path is unknown."""
    if getattr(request.state, "user", None) is not None:
        return
    request.state.user = None
    if request.method in ("GET", "HEAD") and "session" in request.scope:
        with contextlib.suppress(Exception):  # an error page never fails for want of a user
            await _load_user(request)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    env = templates.env
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals["htmx_available"] = (_HERE / "static" / "vendor" / "htmx.min.js").exists()
    env.filters["money"] = lambda v: f"${v:,.2f}" if v is not None else ""
    return templates


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    today: dt.date | None = None,
    wiring: Wiring | None = None,
) -> FastAPI:
    """The app for one database; ``today`` fixes the date (tests, demos) instead of the clock.

    Payer profiles, rules and reference lookups are loaded here, once (``wiring``, when the caller
    has loaded them already), and reach routes as ``app.state.wiring``.
    """
    from otbill.web.routes import register_routes

    app = FastAPI(
        title="otbill",
        version="0.1.0",
        dependencies=[Depends(_load_user), Depends(bounded_params)],
        docs_url=None,  # served by routes/api_docs.py, behind a login like every other route
        openapi_url=None,
        redoc_url=None,
    )
    templates = make_templates()
    app.state.settings = settings
    app.state.db = database or Database(settings.database_url)
    app.state.wiring = wiring or Wiring.load(settings)
    app.state.users = UserCache(app.state.db)
    app.state.queue_cache = QueueCache()
    app.state.throttle = SharedLoginThrottle(path=settings.data_dir / THROTTLE_FILE)  # all workers
    app.state.templates = templates
    app.state.today = today or settings.today  # OTBILL_TODAY when the caller fixes none
    app.add_middleware(FirstRunGate)  # innermost: an empty database leads to /setup
    app.add_middleware(RunDay)  # the request runs as of app.state.today (otbill.clock)
    app.add_middleware(BearerTokenMiddleware)  # inner: runs after the session is read
    app.add_middleware(
        ServerSessions,  # the cookie holds a random id; the session is a row (revocable)
        db=lambda: app.state.db,
        secret=secret_key(settings),
        policy=SessionPolicy(
            idle=dt.timedelta(minutes=settings.session_idle_minutes),
            absolute=dt.timedelta(hours=settings.session_hours),
        ),
        always_secure=settings.secure_cookies,
        trusted_proxies=settings.trusted_proxies,
    )
    # outermost: every response, errors and static files too
    app.add_middleware(SecurityHeaders, trusted_proxies=settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    _install_handlers(app, templates)
    install_busy_page(app)  # a busy database: 503, try again (never a 500)
    install_api_errors(app)  # /api errors in one shape; pages keep the handlers above
    register_routes(app)
    return app


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page with the common context: the user, the CSRF token, today's date."""
    templates: Jinja2Templates = request.app.state.templates
    base = {"user": request.state.user, "csrf_token": csrf_token(request), "today": today(request)}
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


def today(request: Request) -> dt.date:
    fixed: dt.date | None = request.app.state.today
    return fixed or clock.today()


def wiring(request: Request) -> Wiring:
    """The payer profiles, rules and reference lookups the app loaded at start."""
    loaded: Wiring = request.app.state.wiring
    return loaded


def scrub_run(request: Request) -> ScrubContext:
    """A scrub run as of the request's day, from what the app loaded at start."""
    return wiring(request).scrub_context(today(request))
