"""The real-time seam: send one request (a 270) and wait for its answer (a 271).

Services talk to :class:`RealTimeTransport` only; what carries the bytes is the implementation's
business: today the payer simulator in-process
(:class:`~otbill.clearinghouse.simulator.eligibility.SimulatedEligibilityPayer`); the CAQH CORE
HTTP/SOAP and JSON-API clearinghouse transports will implement the same one method. A transport
that gets no usable answer raises :class:`~otbill.clearinghouse.transport.TransportError` naming
what failed; it never returns half an answer.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["RealTimeTransport"]


class RealTimeTransport(Protocol):
    def exchange(self, request: bytes) -> bytes:
        """Send one X12 request interchange and return the payer's answer interchange."""
