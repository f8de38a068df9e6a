"""The payer simulator served on loopback over CAQH CORE MIME multipart (started by tests).

``serve_core(payer)`` starts the simulators of :mod:`otbill.clearinghouse.simulator.servers` on
127.0.0.1 (a free port) and yields the CORE MIME address; ``payer`` answers the 270s (the claim
status payer answers 276s, and the prior authorization payer 278s). Basic
auth is checked when a user is given. A request that is not a CORE real-time request gets the
CORE error answer a clearinghouse would give (``ErrorCode`` and ``ErrorMessage``), not an X12
answer. For the SOAP and JSON endpoints, faults and the request log use
:func:`~otbill.clearinghouse.simulator.servers.serve_payers`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.simulator.servers import Payers, serve_payers

__all__ = ["serve_core"]


@contextlib.contextmanager
def serve_core(
    payer: SimulatedEligibilityPayer | None = None, *, user: str = "", password: str = ""
) -> Iterator[str]:
    """Serve ``payer`` on a free loopback port while the block runs; yields the URL to POST to."""
    payers = Payers(eligibility=payer or SimulatedEligibilityPayer())
    with serve_payers(payers, user=user, password=password) as simulator:
        yield simulator.core_url
