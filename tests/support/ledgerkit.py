"""Ledger entries for property tests that post random operations (charge, payer or patient
payment, adjustment, transfer) to claim lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.storage import Database

__all__ = ["ledger_entry", "post_ops"]


def ledger_entry(key: str, op: str, line: int, cents: int) -> LedgerEntry:
    """The entry of ``op`` ("charge", "payment", "patient_payment", "adjustment", "transfer")."""
    return LedgerEntry(
        key,
        Kind.PAYMENT if "payment" in op else Kind(op),
        line,
        Decimal(cents) / 100,
        payer_side=op != "patient_payment",
        group_code={"adjustment": "CO", "transfer": "PR"}.get(op),
        carc="45" if op in ("adjustment", "transfer") else None,
    )


def post_ops(
    db: Database,
    who: tuple[int, int],
    lines: Sequence[int],
    ops: Sequence[tuple[str, int, int, int]],
    tag: str,
    on: dt.date,
) -> None:
    """Post each (op, which line, cents, pick) in its own unit of work as ``who`` (clinic,
    user); op "reverse" reverses the ``pick``-th posting not yet reversed, if any."""
    made: list[int] = []
    for n, (op, which, cents, pick) in enumerate(ops):
        with db.unit_of_work(*who) as uow:
            if op == "reverse":
                if made:
                    posting = made.pop(pick % len(made))
                    reverse(uow, posting, f"{tag}:rev:{posting}", on)
            else:
                made.append(post(uow, ledger_entry(f"{tag}:{n}", op, lines[which], cents), on)[0])
