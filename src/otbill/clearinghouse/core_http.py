"""Real-time 270/271 over HTTP the way clearinghouses accept it: CAQH CORE MIME multipart.

The CAQH CORE Connectivity Rule (vC2.2.0, section 4) carries one X12 payload in an HTTP POST
with a ``multipart/form-data`` body of named fields: ``ProcessingMode`` (``RealTime``),
``PayloadType`` (``X12_270_Request_005010X279A1``), ``PayloadID`` (unique per request),
``TimeStamp`` (ISO 8601), ``SenderID``, ``ReceiverID``, ``CORERuleVersion`` and ``Payload``; the
answer comes back in the same shape with ``PayloadType`` ``X12_271_Response_005010X279A1`` and
``ErrorCode`` ``Success`` (or an error code and ``ErrorMessage``). Authentication here is HTTP
basic over TLS (the rule's name/password option); client certificates are the transport's
``ssl_context``.

A request that times out, or gets no answer or a 5xx, is sent again (``retries`` times, waiting
``backoff`` seconds, doubled each time) with the same PayloadID, so a clearinghouse that keeps
PayloadIDs answers the repeat without a second inquiry. Everything else (a 4xx, a CORE error
code, an answer that is not a 271) is a :class:`TransportError` naming what failed at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import ssl
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from otbill.clearinghouse.transport import TransportError

__all__ = ["CORE_VERSION", "CoreHttpTransport", "form_data", "read_form_data"]

CORE_VERSION = "2.2.0"
REQUEST_TYPE = "X12_270_Request_005010X279A1"
RESPONSE_TYPE = "X12_271_Response_005010X279A1"
_MAX_ANSWER = 10 * 1024 * 1024  # a 271 for one person is a few kilobytes


def form_data(fields: Mapping[str, str | bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body of ``fields`` and its Content-Type header value."""
    boundary = "otbill-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        data = value.encode() if isinstance(value, str) else value
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def read_form_data(content_type: str, body: bytes) -> dict[str, bytes]:
    """The named fields of a multipart/form-data body (TransportError when it is not one)."""
    if not content_type.lower().startswith("multipart/"):
        raise TransportError(f"expected a multipart answer, got Content-Type {content_type!r}")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload
    if not fields:
        raise TransportError("the multipart answer has no named fields")
    return fields


@dataclass
class CoreHttpTransport:
    """A :class:`~otbill.clearinghouse.realtime.RealTimeTransport` over CORE MIME multipart."""

    url: str
    sender_id: str
    receiver_id: str
    username: str = ""
    password: str = ""
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    ssl_context: ssl.SSLContext | None = None

    def _post(self, body: bytes, content_type: str) -> tuple[str, bytes]:
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        if self.username:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=self.timeout, context=self.ssl_context) as r:
            return r.headers.get("Content-Type", ""), r.read(_MAX_ANSWER + 1)

    def exchange(self, request: bytes) -> bytes:
        payload_id = str(uuid.uuid4())
        fields: dict[str, str | bytes] = {
            "ProcessingMode": "RealTime", "PayloadType": REQUEST_TYPE, "PayloadID": payload_id,
            "TimeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "SenderID": self.sender_id, "ReceiverID": self.receiver_id,
            "CORERuleVersion": CORE_VERSION, "Payload": request,
        }  # fmt: skip
        body, content_type = form_data(fields)
        wait = self.backoff
        for attempt in range(self.retries + 1):
            try:
                answer_type, answer = self._post(body, content_type)
                break
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or attempt == self.retries:
                    raise TransportError(f"{self.url}: HTTP {exc.code} {exc.reason}") from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == self.retries:
                    reason = getattr(exc, "reason", exc)
                    raise TransportError(
                        f"{self.url}: no answer after {attempt + 1} tries ({reason})"
                    ) from exc
            time.sleep(wait)
            wait *= 2
        if len(answer) > _MAX_ANSWER:
            raise TransportError(f"{self.url}: the answer is over {_MAX_ANSWER} bytes")
        return _payload(read_form_data(answer_type, answer), self.url)


def _payload(fields: dict[str, bytes], url: str) -> bytes:
    error = fields.get("ErrorCode", b"").decode("ascii", "replace")
    if error != "Success":
        message = fields.get("ErrorMessage", b"").decode("utf-8", "replace")[:200]
        raise TransportError(f"{url}: CORE error {error or 'missing'}: {message}".rstrip(": "))
    kind = fields.get("PayloadType", b"").decode("ascii", "replace")
    if kind != RESPONSE_TYPE:
        raise TransportError(f"{url}: PayloadType {kind!r}, expected {RESPONSE_TYPE!r}")
    payload = fields.get("Payload", b"")
    if not payload:
        raise TransportError(f"{url}: the answer has no Payload")
    return payload
