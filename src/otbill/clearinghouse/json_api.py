"""Real-time X12 through a JSON-API clearinghouse: the adapter shape.

Many clearinghouses offer a JSON API beside (or instead of) CAQH CORE. Their field names differ;
their shape is the same, and this module is that shape, with the names otbill uses:

- ``POST {base_url}/{transaction}`` (transaction ``270``, ``276`` or ``278``), header
  ``Authorization: Bearer <token>``, ``Content-Type: application/json``, body
  ``{"payload": "<X12 request>", "payloadId": "<id>", "sender": "<our id>",
  "receiver": "<clearinghouse or payer id>"}``;
- the answer: ``{"payload": "<X12 answer>"}`` (``payloadId`` echoed when given, and checked),
  or ``{"error": {"code": "...", "message": "..."}}`` with any HTTP status.

A real vendor's mapping is one small subclass overriding :meth:`JsonApiTransport.request_body`,
:meth:`JsonApiTransport.endpoint` and :meth:`JsonApiTransport.answer_payload`; retries,
backoff, the same ``payloadId`` on every try, the timeout and the answer cap are shared with
the CORE transports (:func:`~otbill.clearinghouse.realtime.post`): a timeout, a dropped
connection or a 5xx is tried again, a 4xx or an error object is not.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from typing import Any

from otbill.clearinghouse.core_http import payload_types
from otbill.clearinghouse.realtime import (
    MAX_ANSWER,
    HttpAnswer,
    RetryPolicy,
    check_payload_id,
    post,
)
from otbill.clearinghouse.transport import TransportError

__all__ = ["JsonApiTransport", "error_words"]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def error_words(document: object) -> str:
    """``error.code: error.message`` of an answer that carries an error object, else ''."""
    if not isinstance(document, dict) or not isinstance(document.get("error"), dict):
        return ""
    error = document["error"]
    code = str(error.get("code", "") or "without a code")[:60]
    message = str(error.get("message", "") or "no message")[:200]
    return f"clearinghouse error {code}: {message}"


def _explain(answer: HttpAnswer) -> str:
    return error_words(_json(answer.body))


@dataclass
class JsonApiTransport:
    """A :class:`~otbill.clearinghouse.realtime.ResendableTransport` over a JSON API."""

    base_url: str
    token: str
    sender_id: str
    receiver_id: str
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    ssl_context: ssl.SSLContext | None = None
    transaction: str = "270"
    max_answer: int = MAX_ANSWER

    def __post_init__(self) -> None:
        payload_types(self.transaction)

    def endpoint(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.transaction}"

    def request_body(self, x12: str, payload_id: str) -> dict[str, object]:
        return {"payload": x12, "payloadId": payload_id, "sender": self.sender_id,
                "receiver": self.receiver_id}  # fmt: skip

    def answer_payload(self, document: dict[str, Any], payload_id: str) -> str:
        """The X12 answer in ``document`` (TransportError naming what is missing or wrong)."""
        echoed = document.get("payloadId")
        if echoed is not None and echoed != payload_id:
            raise TransportError(f"payloadId {str(echoed)[:60]!r} answers another request")
        payload = document.get("payload")
        if not isinstance(payload, str) or not payload.strip():
            raise TransportError('the answer has no "payload" text')
        return payload

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        url = self.endpoint()
        key = check_payload_id(payload_id)
        try:
            x12 = request.decode("utf-8")
        except UnicodeDecodeError:
            raise TransportError("the X12 request is not UTF-8 text; JSON carries text") from None
        body = json.dumps(self.request_body(x12, key)).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        policy = RetryPolicy(self.timeout, self.retries, self.backoff, self.max_answer)
        answer = post(url, body, headers, policy, ssl_context=self.ssl_context, explain=_explain)
        document = _json(answer.body)
        if not isinstance(document, dict):
            raise TransportError(f"{url}: the answer is not a JSON object")
        error = error_words(document)
        if error:
            raise TransportError(f"{url}: {error}")
        try:
            return self.answer_payload(document, key).encode("utf-8")
        except TransportError as exc:
            raise TransportError(f"{url}: {exc}") from None
