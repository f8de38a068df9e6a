"""Who is asking, and may they: sessions, roles, CSRF tokens and login throttling.

- Sessions live in a signed cookie (Starlette's SessionMiddleware: itsdangerous, HttpOnly,
  SameSite=Lax); it holds only the user id, clinic id and CSRF token — never health information.
- Every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, in
  the form field ``csrf_token`` or the ``X-CSRF-Token`` header (HTMX sends the header); API calls
  authenticated by a bearer token are exempt, since no browser sends them on its own.
- Failed logins are throttled per username and per client address: after ``MAX_FAILURES`` within
  ``WINDOW`` the next attempts are refused until the window passes.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fastapi import HTTPException, Request, status

from otbill.domain.lifecycle import Role
from otbill.services.clinic.accounts import SignedIn

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LoginThrottle",
    "SessionUser",
    "allowed",
    "csrf_token",
    "require_roles",
]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
ROLES = tuple(role.value for role in Role)  # one list of roles: the domain's


@dataclass(frozen=True, slots=True)
class SessionUser(SignedIn):
    """The signed-in account a request acts for (its provider record, when a therapist)."""

    def has(self, *roles: str) -> bool:
        """Admins may do everything; others need one of ``roles``."""
        return "admin" in self.roles or bool(self.roles & set(roles))


class NotLoggedIn(Exception):
    """Raised by the user dependency; the app turns it into a redirect to the login page."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not secrets.compare_digest(str(expected), submitted):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or wrong CSRF token")


def require_roles(*roles: str) -> Callable[[Request], SessionUser]:
    """A dependency: the logged-in user, who must hold one of ``roles`` (admins always pass)."""

    def dependency(request: Request) -> SessionUser:
        return allowed(getattr(request.state, "user", None), roles, "this page")

    return dependency


def allowed(user: SessionUser | None, roles: tuple[str, ...], what: str) -> SessionUser:
    """``user`` when logged in and holding one of ``roles`` (any role when none is named)."""
    if user is None:
        raise NotLoggedIn
    if roles and not user.has(*roles):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"your role does not allow {what}")
    return user


@dataclass
class LoginThrottle:
    max_failures: int = 5
    window: float = 15 * 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        stamps = self._failures[key]
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        return stamps

    def blocked(self, keys: Iterable[str]) -> bool:
        now = self.clock()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
