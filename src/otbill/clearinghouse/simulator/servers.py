"""The payer simulators served on loopback: CORE MIME, CORE SOAP and JSON-API endpoints.

:func:`serve_payers` starts one HTTP server on 127.0.0.1 (a free port) in a daemon thread and
yields a :class:`Simulator` with three addresses: ``core_url`` (CAQH CORE MIME multipart),
``soap_url`` (the CORE SOAP 1.2 envelope) and ``json_url`` (the JSON-API adapter shape of
:mod:`otbill.clearinghouse.json_api`: POST ``{json_url}/{transaction}``). Every request is routed
by its payload type (or its path, for JSON) to the payer that answers it: the eligibility payer
(270 → 271), the claim status payer (276 → 277) and the prior authorization payer (278 → 278);
a payer set to ``None`` is answered with a CORE ``Receiver`` error.

Like a clearinghouse it keeps the answer of every PayloadID: a request sent again with the same
PayloadID (a retry) is answered again without asking the payer twice. :class:`Faults` makes it
misbehave on purpose, seeded so a run is repeatable: ``latency`` seconds per answer, the first
``fail_first`` requests answered 503, the ``drop_first`` after them dropped, and a ``failure_rate`` share of requests failing, of which
``drop_share`` are dropped *after* the payer answered (the answer is lost on the way back: the
case PayloadIDs exist for) and the rest answered 503 before the payer sees them.

:class:`RequestLog` counts what arrived by PayloadID (retries included) and what the payers were
asked by X12 trace number (TRN02 of each ``TRN*1``): a bench proves that no claim or person was
asked about twice by ``log.duplicates() == {}``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import random
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from otbill.clearinghouse.core_http import (
    CORE_VERSION,
    form_data,
    payload_types,
    read_form_data,
    timestamp,
    transaction_of,
)
from otbill.clearinghouse.core_soap import CONTENT_TYPE as SOAP_CONTENT_TYPE
from otbill.clearinghouse.core_soap import envelope, fault, read_envelope
from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.simulator.prior_auth import SimulatedPriorAuthPayer
from otbill.clearinghouse.transport import TransportError
from otbill.x12.findings import X12Error
from otbill.x12.tokens import read_segments

__all__ = ["Faults", "Payers", "RequestLog", "Simulator", "serve_payers", "traces_of"]

MAX_REQUEST = 1024 * 1024


@dataclass
class Payers:
    """Which simulated payer answers each transaction."""

    eligibility: RealTimeTransport = field(default_factory=SimulatedEligibilityPayer)
    claim_status: RealTimeTransport = field(default_factory=SimulatedClaimStatusPayer)
    prior_auth: RealTimeTransport | None = field(default_factory=SimulatedPriorAuthPayer)

    def payer_for(self, transaction: str) -> RealTimeTransport | None:
        return {"270": self.eligibility, "276": self.claim_status, "278": self.prior_auth}.get(
            transaction
        )


@dataclass(frozen=True, slots=True)
class Faults:
    """How the simulator misbehaves (see the module docstring); seeded, so runs repeat."""

    latency: float = 0.0
    failure_rate: float = 0.0
    drop_share: float = 0.5
    fail_first: int = 0
    drop_first: int = 0  # then the next N requests lose their answer on the way back
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("failure_rate", "drop_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Faults.{name}: a share between 0 and 1")
        if min(self.latency, self.fail_first, self.drop_first) < 0:
            raise ValueError("Faults.latency, fail_first and drop_first: zero or more")


@dataclass
class RequestLog:
    """What the simulator received and what its payers were asked (thread-safe counters)."""

    by_payload_id: Counter[str] = field(default_factory=Counter)
    by_trace: Counter[str] = field(default_factory=Counter)
    replayed: int = 0  # answered again from a kept PayloadID, the payer not asked
    refused_503: int = 0
    dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def duplicates(self) -> dict[str, int]:
        """X12 trace numbers the payers were asked about more than once, with the count."""
        with self._lock:
            return {trace: n for trace, n in self.by_trace.items() if n > 1}

    def snapshot(self) -> dict[str, object]:
        """The counts as plain JSON-ready data (what a bench writes down)."""
        with self._lock:
            return {
                "requests": sum(self.by_payload_id.values()),
                "payload_ids": len(self.by_payload_id),
                "payer_questions": sum(self.by_trace.values()),
                "traces": len(self.by_trace),
                "replayed": self.replayed,
                "refused_503": self.refused_503,
                "dropped": self.dropped,
                "duplicate_traces": {t: n for t, n in self.by_trace.items() if n > 1},
            }


def traces_of(payload: bytes) -> list[str]:
    """The trace numbers (TRN02 of ``TRN*1``) of an X12 request, each once; [] if unreadable."""
    found: list[str] = []
    try:
        for seg in read_segments(payload):
            if seg.id == "TRN" and seg.el(1) == "1" and seg.el(2) and seg.el(2) not in found:
                found.append(seg.el(2))
    except X12Error:
        return []
    return found


@dataclass(frozen=True, slots=True)
class _Outcome:
    answer: bytes | None = None  # the payer's X12 answer
    code: str = ""  # a CORE ErrorCode when there is no answer
    message: str = ""
    unavailable: bool = False  # answer 503 (the payer was not asked)
    drop: bool = False  # close the connection without answering (after the payer answered)


class _Engine:
    """Routing, PayloadID keeping, faults and the log: what every endpoint shares."""

    def __init__(self, payers: Payers, faults: Faults, log: RequestLog) -> None:
        self.payers, self.faults, self.log = payers, faults, log
        self.random = random.Random(faults.seed)
        self.kept: dict[str, tuple[str, bytes]] = {}  # PayloadID -> (payload digest, answer)
        self.per_id: dict[str, threading.Lock] = {}
        self.seen = 0
        self.lock = threading.Lock()

    def _fate(self) -> str:
        with self.lock:
            self.seen += 1
            if self.seen <= self.faults.fail_first:
                return "503"
            if self.seen <= self.faults.fail_first + self.faults.drop_first:
                return "drop"
            if self.faults.failure_rate and self.random.random() < self.faults.failure_rate:
                return "drop" if self.random.random() < self.faults.drop_share else "503"
        return "ok"

    def handle(self, transaction: str | None, payload_id: str, payload: bytes) -> _Outcome:
        with self.log._lock:
            self.log.by_payload_id[payload_id] += 1
        fate = self._fate()
        if fate == "503":
            with self.log._lock:
                self.log.refused_503 += 1
            return _Outcome(unavailable=True)
        outcome = self._answer(transaction, payload_id, payload)
        if self.faults.latency:
            time.sleep(self.faults.latency)
        if fate == "drop":
            with self.log._lock:
                self.log.dropped += 1
            return _Outcome(drop=True)
        return outcome

    def _answer(self, transaction: str | None, payload_id: str, payload: bytes) -> _Outcome:
        if not payload_id:
            return _Outcome(code="PayloadIDRequired", message="the request has no PayloadID")
        if not payload:
            return _Outcome(code="PayloadRequired", message="the request has no Payload")
        payer = self.payers.payer_for(transaction or "")
        if payer is None:
            what = f"transaction {transaction}" if transaction else "this PayloadType"
            return _Outcome(code="Receiver", message=f"the simulator has no payer for {what}")
        digest = hashlib.sha256(payload).hexdigest()
        with self.lock:
            one = self.per_id.setdefault(payload_id, threading.Lock())
        with one:  # one question per PayloadID, even when a retry overtakes the first try
            kept = self.kept.get(payload_id)
            if kept is not None:
                if kept[0] != digest:
                    return _Outcome(code="Sender", message=f"PayloadID {payload_id} was already "
                                    "used for another payload")  # fmt: skip
                with self.log._lock:
                    self.log.replayed += 1
                return _Outcome(answer=kept[1])
            with self.log._lock:
                self.log.by_trace.update(traces_of(payload))
            try:
                answer = payer.exchange(payload)
            except TransportError as exc:
                return _Outcome(code="Receiver", message=str(exc))
            self.kept[payload_id] = (digest, answer)
        return _Outcome(answer=answer)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _core_error(code: str, message: str) -> dict[str, str | bytes]:
    return {"ProcessingMode": "RealTime", "PayloadType": "CoreEnvelopeError",
            "CORERuleVersion": CORE_VERSION, "ErrorCode": code, "ErrorMessage": message}  # fmt: skip


def _handler(engine: _Engine, user: str, password: str, token: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet in tests
            return

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the caller gave up
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if status == 503:
                    self.send_header("Retry-After", "1")
                self.end_headers()
                self.wfile.write(body)

        def _read(self) -> bytes | None:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_REQUEST:
                return None
            return self.rfile.read(length)

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0].rstrip("/")
            if path == "/core":
                self._core()
            elif path == "/soap":
                self._soap()
            elif path.startswith("/json/"):
                self._json(path.removeprefix("/json/"))
            else:
                self._send(
                    404, "text/plain", b"no such endpoint: /core, /soap or /json/{270|276|278}"
                )

        # CAQH CORE MIME multipart
        def _core_send(self, status: int, fields: dict[str, str | bytes]) -> None:
            body, content_type = form_data(fields)
            self._send(status, content_type, body)

        def _core(self) -> None:
            if user and self.headers.get("Authorization") != _basic(user, password):
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="simulator"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            raw = self._read()
            if raw is None:
                self._core_send(400, _core_error("PayloadTooLarge", "bad Content-Length"))
                return
            try:
                fields = read_form_data(self.headers.get("Content-Type", ""), raw)
            except TransportError as exc:
                self._core_send(400, _core_error("Sender", str(exc)))
                return
            kind = fields.get("PayloadType", b"").decode("ascii", "replace")
            transaction = transaction_of(kind)
            if transaction is None:
                self._core_send(200, _core_error("Sender", f"PayloadType {kind!r} is not a "
                                                 "real-time request of 270, 276 or 278"))  # fmt: skip
                return
            pid = fields.get("PayloadID", b"").decode("ascii", "replace")
            outcome = engine.handle(transaction, pid, fields.get("Payload", b""))
            if outcome.drop:
                self.close_connection = True
                return
            if outcome.unavailable:
                self._core_send(503, _core_error("Receiver", "the simulator is busy (on purpose)"))
                return
            if outcome.answer is None:
                self._core_send(200, _core_error(outcome.code, outcome.message))
                return
            self._core_send(200, {
                "ProcessingMode": "RealTime", "PayloadType": payload_types(transaction)[1],
                "PayloadID": pid, "TimeStamp": timestamp(),
                "SenderID": fields.get("ReceiverID", b""), "ReceiverID": fields.get("SenderID", b""),
                "CORERuleVersion": CORE_VERSION, "ErrorCode": "Success", "ErrorMessage": "None",
                "Payload": outcome.answer,
            })  # fmt: skip

        # CAQH CORE SOAP envelope
        def _soap_reply(self, fields: dict[str, str]) -> None:
            body = envelope("COREEnvelopeRealTimeResponse", fields)
            self._send(200, SOAP_CONTENT_TYPE, body)

        def _soap(self) -> None:
            raw = self._read()
            if raw is None:
                self._send(400, SOAP_CONTENT_TYPE, fault("Sender", "bad Content-Length"))
                return
            try:
                message = read_envelope(raw)
            except TransportError as exc:
                self._send(400, SOAP_CONTENT_TYPE, fault("Sender", str(exc)))
                return
            if user and (message.username, message.password) != (user, password):
                self._send(401, SOAP_CONTENT_TYPE, fault("Sender", "the WS-Security "
                           "UsernameToken is missing or its name or password is wrong"))  # fmt: skip
                return
            if message.kind != "COREEnvelopeRealTimeRequest":
                self._send(400, SOAP_CONTENT_TYPE, fault("Sender", f"<{message.kind}> is not a "
                           "COREEnvelopeRealTimeRequest"))  # fmt: skip
                return
            got = message.fields
            kind = got.get("PayloadType", "")
            transaction = transaction_of(kind)
            head = {"ProcessingMode": "RealTime", "PayloadID": got.get("PayloadID", ""),
                    "TimeStamp": timestamp(), "SenderID": got.get("ReceiverID", ""),
                    "ReceiverID": got.get("SenderID", ""), "CORERuleVersion": CORE_VERSION}  # fmt: skip
            if transaction is None:
                self._soap_reply({"PayloadType": "CoreEnvelopeError", **head, "ErrorCode": "Sender",
                                  "ErrorMessage": f"PayloadType {kind!r} is not a real-time "
                                  "request of 270, 276 or 278"})  # fmt: skip
                return
            payload = got.get("Payload", "").strip().encode()
            outcome = engine.handle(transaction, got.get("PayloadID", ""), payload)
            if outcome.drop:
                self.close_connection = True
                return
            if outcome.unavailable:
                self._send(503, SOAP_CONTENT_TYPE, fault("Receiver", "the simulator is busy "
                           "(on purpose)"))  # fmt: skip
                return
            if outcome.answer is None:
                self._soap_reply({"PayloadType": "CoreEnvelopeError", **head,
                                  "ErrorCode": outcome.code, "ErrorMessage": outcome.message})  # fmt: skip
                return
            self._soap_reply({"PayloadType": payload_types(transaction)[1], **head,
                              "Payload": outcome.answer.decode("utf-8", "replace"),
                              "ErrorCode": "Success", "ErrorMessage": "None"})  # fmt: skip

        # the JSON-API adapter shape
        def _json_send(self, status: int, document: dict[str, Any]) -> None:
            self._send(status, "application/json", json.dumps(document).encode())

        def _json_error(self, status: int, code: str, message: str) -> None:
            self._json_send(status, {"error": {"code": code, "message": message}})

        def _json(self, transaction: str) -> None:
            if token and self.headers.get("Authorization") != f"Bearer {token}":
                self._json_error(401, "unauthorized", "the bearer token is missing or wrong")
                return
            if transaction not in ("270", "276", "278"):
                self._json_error(404, "unknown-transaction", f"no endpoint for {transaction!r}")
                return
            raw = self._read()
            document: object = None
            if raw is not None:
                with contextlib.suppress(UnicodeDecodeError, ValueError):
                    document = json.loads(raw.decode("utf-8"))
            if not isinstance(document, dict) or not isinstance(document.get("payload"), str):
                self._json_error(400, "bad-request", 'a JSON object with a "payload" text')
                return
            pid = str(document.get("payloadId") or "")
            outcome = engine.handle(transaction, pid, document["payload"].encode())
            if outcome.drop:
                self.close_connection = True
                return
            if outcome.unavailable:
                self._json_error(503, "unavailable", "the simulator is busy (on purpose)")
                return
            if outcome.answer is None:
                status = (
                    404 if outcome.code == "Receiver" and "no payer" in outcome.message else 422
                )
                self._json_error(status, outcome.code, outcome.message)
                return
            self._json_send(200, {"payload": outcome.answer.decode("utf-8", "replace"),
                                  "payloadId": pid})  # fmt: skip

    return Handler


@dataclass(frozen=True, slots=True)
class Simulator:
    """A running simulator: where to send, and what it saw."""

    core_url: str
    soap_url: str
    json_url: str
    log: RequestLog
    payers: Payers


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # many callers at once (a batch of checks), not socketserver's 5


@contextlib.contextmanager
def serve_payers(
    payers: Payers | None = None,
    *,
    faults: Faults | None = None,
    user: str = "",
    password: str = "",
    token: str = "",
    tls: ssl.SSLContext | None = None,
) -> Iterator[Simulator]:
    """Serve the payers on a free loopback port while the block runs.

    ``user``/``password`` are checked as HTTP basic (CORE MIME) and as the WS-Security
    UsernameToken (SOAP) when ``user`` is given; ``token`` as the JSON API's bearer token.
    With ``tls`` (a server-side context) the addresses are https://; a context that requires
    client certificates (``verify_mode = CERT_REQUIRED``) plays the CORE X.509 option.
    """
    chosen = payers or Payers()
    log = RequestLog()
    engine = _Engine(chosen, faults or Faults(), log)
    server = _Server(("127.0.0.1", 0), _handler(engine, user, password, token))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls is not None else "http"
    base = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    try:
        yield Simulator(f"{base}/core", f"{base}/soap", f"{base}/json", log, chosen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
