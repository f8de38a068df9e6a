"""The payer simulator served on loopback over CAQH CORE MIME multipart (started by tests).

``serve_core(payer)`` starts an HTTP server on 127.0.0.1 (a free port) in a daemon thread and
yields its URL; every POST is read as a CORE request, its ``Payload`` handed to the simulated
payer, and the 271 sent back as a CORE answer. Basic auth is checked when a user is given. A
request that is not a CORE 270 gets the CORE error answer a clearinghouse would give
(``ErrorCode`` and ``ErrorMessage``), not a 271.
"""

from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from otbill.clearinghouse.core_http import (
    CORE_VERSION,
    REQUEST_TYPE,
    RESPONSE_TYPE,
    form_data,
    read_form_data,
)
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.transport import TransportError

__all__ = ["serve_core"]

_MAX_REQUEST = 1024 * 1024


def _handler(payer: SimulatedEligibilityPayer, auth: str | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet in tests
            return

        def _send(self, status: int, fields: dict[str, str | bytes]) -> None:
            body, content_type = form_data(fields)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if auth is not None and self.headers.get("Authorization") != auth:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="simulator"')
                self.end_headers()
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= _MAX_REQUEST:
                self._send(400, _error("PayloadTooLarge" if length else "Payload", "bad length"))
                return
            try:
                fields = read_form_data(
                    self.headers.get("Content-Type", ""), self.rfile.read(length)
                )
                if fields.get("PayloadType") != REQUEST_TYPE.encode():
                    raise TransportError(f"PayloadType must be {REQUEST_TYPE}")
                answer = payer.exchange(fields.get("Payload", b""))
            except TransportError as exc:
                self._send(200, _error("Receiver", str(exc)))
                return
            self._send(200, {
                "ProcessingMode": "RealTime", "PayloadType": RESPONSE_TYPE,
                "PayloadID": fields.get("PayloadID", b""), "TimeStamp": "",
                "SenderID": fields.get("ReceiverID", b""), "ReceiverID": fields.get("SenderID", b""),
                "CORERuleVersion": CORE_VERSION, "ErrorCode": "Success", "ErrorMessage": "",
                "Payload": answer,
            })  # fmt: skip

    return Handler


def _error(code: str, message: str) -> dict[str, str | bytes]:
    return {"ProcessingMode": "RealTime", "PayloadType": "CoreEnvelopeError",
            "CORERuleVersion": CORE_VERSION, "ErrorCode": code, "ErrorMessage": message}  # fmt: skip


@contextlib.contextmanager
def serve_core(
    payer: SimulatedEligibilityPayer | None = None, *, user: str = "", password: str = ""
) -> Iterator[str]:
    """Serve ``payer`` on a free loopback port while the block runs; yields the URL to POST to."""
    auth = None
    if user:
        auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), _handler(payer or SimulatedEligibilityPayer(), auth)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/core"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
