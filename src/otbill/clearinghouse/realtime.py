"""The real-time seam: send one request (a 270, 276 or 278) and wait for its answer.

Services talk to :class:`RealTimeTransport` only; what carries the bytes is the implementation's
business: the payer simulators in-process (wrapped by :class:`InProcessTransport`), CAQH CORE
MIME multipart (:class:`~otbill.clearinghouse.core_http.CoreHttpTransport`), the CORE SOAP
envelope (:class:`~otbill.clearinghouse.core_soap.CoreSoapTransport`) and a JSON-API
clearinghouse (:class:`~otbill.clearinghouse.json_api.JsonApiTransport`). A transport that gets
no usable answer raises :class:`~otbill.clearinghouse.transport.TransportError` naming what
failed; it never returns half an answer.

Resending: the HTTP transports give every request a PayloadID and send the same one again on a
retry. A caller that resends on its own (a batch run picked up after a crash) passes its own
stable id, ``exchange(request, payload_id="...")``: every transport here accepts it
(:class:`ResendableTransport`), while a one-argument ``exchange(request)`` keeps working.

:func:`post` is the HTTP exchange the three HTTP transports share: a timeout per try, retries
with doubling backoff on a timeout, a dropped connection or a 5xx only (a 4xx is an answer, not
a hiccup, and a refused TLS certificate is not tried again), a cap on the answer's size, and
no redirects followed (they would carry the credentials elsewhere).
"""

from __future__ import annotations

import http.client
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from otbill.clearinghouse.transport import TransportError

__all__ = [
    "MAX_ANSWER",
    "HttpAnswer",
    "InProcessTransport",
    "RealTimeTransport",
    "ResendableTransport",
    "RetryPolicy",
    "check_payload_id",
    "new_payload_id",
    "post",
]

MAX_ANSWER = 10 * 1024 * 1024  # an answer for one person or claim is a few kilobytes


class RealTimeTransport(Protocol):
    def exchange(self, request: bytes) -> bytes:
        """Send one X12 request interchange and return the payer's answer interchange."""


class ResendableTransport(Protocol):
    """A :class:`RealTimeTransport` that also takes the caller's stable request id."""

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        """Like :meth:`RealTimeTransport.exchange`; the same ``payload_id`` on every resend."""


def new_payload_id() -> str:
    """A fresh PayloadID (CAQH CORE asks for a UUID, Connectivity Rule vC2.2.0 section 4)."""
    return str(uuid.uuid4())


def check_payload_id(payload_id: str | None) -> str:
    """``payload_id`` when usable as a PayloadID (a fresh one for ``None``), else TransportError."""
    if payload_id is None:
        return new_payload_id()
    if not (0 < len(payload_id) <= 100 and payload_id.isascii() and payload_id.isprintable()) or (
        " " in payload_id
    ):
        raise TransportError(
            f"PayloadID {payload_id[:40]!r}: 1 to 100 visible ASCII characters without spaces"
        )
    return payload_id


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait for the server, how often to try again and how long to pause in between."""

    timeout: float = 20.0  # seconds for connecting and for each read
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_answer: int = MAX_ANSWER


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    content_type: str
    body: bytes


Explain = Callable[[HttpAnswer], str]
# a TLS connection cut short is a dropped connection (tried again); any other TLS error is not
_TLS_DROPS = (ssl.SSLEOFError, ssl.SSLZeroReturnError)


def _no_detail(answer: HttpAnswer) -> str:
    return ""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST is an error: following it would resend credentials somewhere else."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    policy: RetryPolicy,
    *,
    ssl_context: ssl.SSLContext | None = None,
    explain: Explain = _no_detail,
) -> HttpAnswer:
    """POST ``body`` to ``url``; the 2xx answer, or TransportError naming what failed.

    ``explain`` turns an error answer (4xx or 5xx) into the clearinghouse's own words (a SOAP
    fault's reason, a JSON error's message), added to the HTTP status in the error.
    """
    wait = policy.backoff
    tries = policy.retries + 1
    for attempt in range(1, tries + 1):
        request = urllib.request.Request(url, data=body, method="POST", headers=dict(headers))
        opener = urllib.request.build_opener(
            _RefuseRedirects, urllib.request.HTTPSHandler(context=ssl_context)
        )
        try:
            with opener.open(request, timeout=policy.timeout) as r:
                data = r.read(policy.max_answer + 1)
                answer = HttpAnswer(r.status, r.headers.get("Content-Type", ""), data)
        except urllib.error.HTTPError as exc:
            failed = HttpAnswer(
                exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", _body_of(exc)
            )
            if exc.code < 500 or attempt == tries:
                detail = explain(failed)
                more = f" after {attempt} tries" if attempt > 1 else ""
                text = f"{url}: HTTP {exc.code} {exc.reason}{more}"
                if 300 <= exc.code < 400:
                    where = exc.headers.get("Location", "") if exc.headers else ""
                    detail = f"redirects are not followed (it points to {where[:200]!r})"
                raise TransportError(f"{text}: {detail}" if detail else text) from exc
        except (
            urllib.error.URLError,
            TimeoutError,
            ConnectionError,
            http.client.HTTPException,
            ssl.SSLError,
        ) as exc:
            reason = exc if isinstance(exc, ssl.SSLError) else getattr(exc, "reason", None)
            if isinstance(reason, ssl.SSLError) and not isinstance(reason, _TLS_DROPS):
                raise _tls_refused(url, reason) from exc
            if attempt == tries:
                why = reason or str(exc) or exc.__class__.__name__
                raise TransportError(f"{url}: no answer after {attempt} tries ({why})") from exc
        else:
            if len(answer.body) > policy.max_answer:
                raise TransportError(
                    f"{url}: the answer is over {policy.max_answer} bytes; not read"
                )
            return answer
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable: the last try returns or raises")


def _tls_refused(url: str, exc: ssl.SSLError) -> TransportError:
    """A TLS failure is not a hiccup: a certificate refused (ours or theirs) fails at once."""
    reason = getattr(exc, "verify_message", None) or exc.reason or str(exc)
    return TransportError(
        f"{url}: the TLS connection failed ({reason}); check the client certificate and the "
        "clearinghouse's certificate"
    )


def _body_of(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(64 * 1024)
    except (OSError, http.client.HTTPException):
        return b""


@dataclass
class InProcessTransport:
    """A payer simulator in-process, as a :class:`ResendableTransport`.

    Like a clearinghouse that keeps PayloadIDs, a request resent with a ``payload_id`` already
    answered gets the same answer again without asking the payer a second time.
    """

    payer: RealTimeTransport
    answers: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        if payload_id is None:
            return self.payer.exchange(request)
        key = check_payload_id(payload_id)
        with self._lock:
            if key in self.answers:
                return self.answers[key]
        answer = self.payer.exchange(request)
        with self._lock:
            return self.answers.setdefault(key, answer)
