"""Who is asking, and may they: sessions, roles, CSRF tokens and login throttling.

- Sessions live on the server (``otbill.web.sessions``): the cookie (HttpOnly, SameSite=Lax,
  Secure over HTTPS) holds only a random id; logout, a password change or an admin ends the
  session, and so do the idle and absolute timeouts. The CSRF token is derived from the id.
- Every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, in
  the form field ``csrf_token`` or the ``X-CSRF-Token`` header (HTMX sends the header); API calls
  authenticated by a bearer token are exempt, since no browser sends them on its own.
- Failed logins are throttled per username and per client address, apart, with a delay that
  doubles with each failure (:class:`LoginThrottle`) instead of a lockout.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
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
    "wait_in_words",
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
class _Failures:
    count: int
    last: float


@dataclass
class LoginThrottle:
    """Failed logins, counted per key (``user:<clinic>:<name>`` and ``ip:<address>``) apart.

    Why a growing delay and not a lockout: a lockout lets anyone who knows a user name keep that
    user out; a delay that doubles makes guessing slow while the real user waits seconds. The
    first ``free`` failures cost nothing (typos); each later one doubles the wait, up to
    ``user_cap`` for a user and ``address_cap`` for an address, and a key is forgotten ``window``
    seconds after its last failure. A successful login clears only the user's count: the
    address keeps its count, so one good account does not buy an attacker more guesses.
    """

    free: int = 3
    user_cap: float = 60.0
    address_cap: float = 15 * 60.0
    window: float = 15 * 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _delay(self, key: str, failures: _Failures) -> float:
        over = failures.count - self.free
        if over <= 0:
            return 0.0
        cap = self.address_cap if key.startswith("ip:") else self.user_cap
        return float(min(cap, 2 ** min(over - 1, 30)))

    def _current(self, key: str, now: float) -> _Failures | None:
        failures = self._failures.get(key)
        if failures is not None and now - failures.last > self.window + self._delay(key, failures):
            del self._failures[key]
            return None
        return failures

    def wait(self, keys: Iterable[str]) -> int:
        """Whole seconds to wait before the next attempt with any of ``keys`` (0: go ahead)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                failures = self._current(key, now)
                if failures is not None:
                    longest = max(longest, failures.last + self._delay(key, failures) - now)
        return math.ceil(longest) if longest > 0 else 0

    def blocked(self, keys: Iterable[str]) -> bool:
        return self.wait(keys) > 0

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._current(key, now)
                if failures is None:
                    self._failures[key] = _Failures(1, now)
                else:
                    failures.count, failures.last = failures.count + 1, now

    def succeeded(self, keys: Iterable[str]) -> None:
        """Clear the users' counts (never an address's)."""
        with self._lock:
            for key in keys:
                if not key.startswith("ip:"):
                    self._failures.pop(key, None)


def wait_in_words(seconds: int) -> str:
    """``"8 seconds"``, ``"1 minute"``, ``"3 minutes"``: how long to wait, for people."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
