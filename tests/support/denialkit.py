"""Denials that recur, made directly on the demo clinic (as three 835s would have posted them)."""

from __future__ import annotations

import datetime as dt

from otbill.domain.appeals import Denial
from otbill.storage import UnitOfWork
from support.webkit import DEMO_TODAY

__all__ = ["deny_three_times"]


def deny_three_times(uow: UnitOfWork, payer_id: int, carc: str) -> str:
    """Three of the payer's claims with its most billed code denied ``carc`` on that code's line,
    in the ten days before the demo's today; returns the code."""
    by_code: dict[str, list[tuple[int, int]]] = {}
    for claim in uow.claims.by_status(None):
        if claim.payer_id == payer_id:
            for line in uow.claims.lines(claim.id):
                by_code.setdefault(line.code, []).append((claim.id, line.id))
    code, lines = max(by_code.items(), key=lambda item: len(item[1]))
    for n, (claim_id, line_id) in enumerate(lines[:3]):
        day = DEMO_TODAY - dt.timedelta(days=10 - n)
        uow.denials.add(Denial(0, claim_id, "CO", carc, day, day + dt.timedelta(120),
                               claim_line_id=line_id))  # fmt: skip
    return code
