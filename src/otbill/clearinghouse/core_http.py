"""Real-time X12 over HTTP the way clearinghouses accept it: CAQH CORE MIME multipart.

The CAQH CORE Connectivity Rule (vC2.2.0, section 4) carries one X12 payload in an HTTP POST
with a ``multipart/form-data`` body of named fields: ``ProcessingMode`` (``RealTime``),
``PayloadType`` (which X12 transaction and guide, see :data:`PAYLOAD_TYPES`), ``PayloadID``
(unique per request), ``TimeStamp`` (ISO 8601), ``SenderID``, ``ReceiverID``,
``CORERuleVersion`` and ``Payload``; the answer comes back in the same shape with the response
PayloadType and ``ErrorCode`` ``Success`` (or an error code and ``ErrorMessage``).
Authentication here is HTTP basic over TLS (the rule's name/password option); client
certificates (the rule's X.509 option) are the transport's ``ssl_context``.

The payload types (vC2.2.0 section 4 for 270/271 and 276/277; the 278 pair is the one the
Connectivity Rule vC3.1.0, formerly Phase IV CAQH CORE 470 v4.0.0, added for prior
authorization; clearinghouses take it in the vC2.2.0 envelope too):

==========  ==================================  ==================================
transaction request PayloadType                 response PayloadType
==========  ==================================  ==================================
270         X12_270_Request_005010X279A1        X12_271_Response_005010X279A1
276         X12_276_Request_005010X212          X12_277_Response_005010X212
278         X12_278_Request_005010X217E1_2      X12_278_Response_005010X217E1_2
==========  ==================================  ==================================

A request that times out, or gets no answer or a 5xx, is sent again (``retries`` times, waiting
``backoff`` seconds, doubled each time) with the same PayloadID, so a clearinghouse that keeps
PayloadIDs answers the repeat without a second inquiry; a caller resending on its own passes
its own stable ``payload_id``. Everything else (a 4xx, a CORE error code, an answer of another
payload type) is a :class:`TransportError` naming what failed at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from otbill.clearinghouse.realtime import (
    MAX_ANSWER,
    HttpAnswer,
    RetryPolicy,
    check_payload_id,
    post,
)
from otbill.clearinghouse.transport import TransportError

__all__ = [
    "CORE_VERSION",
    "PAYLOAD_TYPES",
    "CoreHttpTransport",
    "core_error",
    "form_data",
    "payload_types",
    "read_form_data",
    "timestamp",
]

CORE_VERSION = "2.2.0"
PAYLOAD_TYPES: dict[str, tuple[str, str]] = {
    "270": ("X12_270_Request_005010X279A1", "X12_271_Response_005010X279A1"),
    "276": ("X12_276_Request_005010X212", "X12_277_Response_005010X212"),
    "278": ("X12_278_Request_005010X217E1_2", "X12_278_Response_005010X217E1_2"),
}
REQUEST_TYPE, RESPONSE_TYPE = PAYLOAD_TYPES["270"]  # the defaults, kept for older callers
_MAX_ANSWER = MAX_ANSWER

# What the CORE ErrorCode values mean, in plain words (vC2.2.0 section 4: Sender and Receiver
# say which side is at fault; the ...Required codes name a missing envelope field).
_CORE_WORDS = {
    "Sender": "the clearinghouse says our request is at fault",
    "Receiver": "the clearinghouse or the payer could not answer",
    "VersionMismatch": f"the clearinghouse does not accept CORERuleVersion {CORE_VERSION}",
    "UnAuthorized": "the clearinghouse refused our credentials",
    "Unauthorized": "the clearinghouse refused our credentials",
    "PayloadTooLarge": "the request is larger than the clearinghouse accepts",
}


def payload_types(transaction: str) -> tuple[str, str]:
    """The (request, response) PayloadType pair of ``transaction`` (270, 276 or 278)."""
    try:
        return PAYLOAD_TYPES[transaction]
    except KeyError:
        raise TransportError(
            f"transaction {transaction!r}: real time carries 270, 276 or 278"
        ) from None


def transaction_of(payload_type: str) -> str | None:
    """The transaction (270, 276, 278) whose request PayloadType is ``payload_type``."""
    for transaction, (request, _) in PAYLOAD_TYPES.items():
        if request == payload_type:
            return transaction
    return None


def timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_error(url: str, code: str, message: str) -> TransportError:
    """The TransportError for a CORE ``ErrorCode`` other than Success, in plain words."""
    words = _CORE_WORDS.get(code)
    if words is None and code.endswith("Required"):
        words = f"the clearinghouse says the {code.removesuffix('Required')} field is missing"
    text = f"{url}: CORE error {code or 'missing'}"
    if message:
        text += f": {message[:200]}"
    return TransportError(f"{text} ({words})" if words else text)


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
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    for part in message.walk():  # compat32 parses 7x faster; the root has no field name
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload
    if not fields:
        raise TransportError("the multipart answer has no named fields")
    return fields


def _explain(answer: HttpAnswer) -> str:
    """The CORE ErrorCode and ErrorMessage of an error answer, when it carries them."""
    try:
        fields = read_form_data(answer.content_type, answer.body)
    except TransportError:
        return ""
    code = fields.get("ErrorCode", b"").decode("ascii", "replace")
    message = fields.get("ErrorMessage", b"").decode("utf-8", "replace")[:200]
    return f"CORE error {code}: {message}".rstrip(": ") if code else ""


@dataclass
class CoreHttpTransport:
    """A :class:`~otbill.clearinghouse.realtime.ResendableTransport` over CORE MIME multipart."""

    url: str
    sender_id: str
    receiver_id: str
    username: str = ""
    password: str = ""
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    ssl_context: ssl.SSLContext | None = None
    transaction: str = "270"
    max_answer: int = MAX_ANSWER

    def __post_init__(self) -> None:
        payload_types(self.transaction)  # an unknown transaction fails here, not on first use

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        request_type, response_type = payload_types(self.transaction)
        fields: dict[str, str | bytes] = {
            "ProcessingMode": "RealTime", "PayloadType": request_type,
            "PayloadID": check_payload_id(payload_id), "TimeStamp": timestamp(),
            "SenderID": self.sender_id, "ReceiverID": self.receiver_id,
            "CORERuleVersion": CORE_VERSION, "Payload": request,
        }  # fmt: skip
        body, content_type = form_data(fields)
        headers = {"Content-Type": content_type}
        if self.username:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        policy = RetryPolicy(self.timeout, self.retries, self.backoff, self.max_answer)
        answer = post(
            self.url, body, headers, policy, ssl_context=self.ssl_context, explain=_explain
        )
        try:
            answered = read_form_data(answer.content_type, answer.body)
        except TransportError as exc:
            raise TransportError(f"{self.url}: {exc}") from None
        return _payload(answered, self.url, response_type)


def _payload(fields: dict[str, bytes], url: str, response_type: str = RESPONSE_TYPE) -> bytes:
    error = fields.get("ErrorCode", b"").decode("ascii", "replace")
    if error != "Success":
        message = fields.get("ErrorMessage", b"").decode("utf-8", "replace")
        raise core_error(url, error, message)
    kind = fields.get("PayloadType", b"").decode("ascii", "replace")
    if kind != response_type:
        raise TransportError(f"{url}: PayloadType {kind!r}, expected {response_type!r}")
    payload = fields.get("Payload", b"")
    if not payload:
        raise TransportError(f"{url}: the answer has no Payload")
    return payload
