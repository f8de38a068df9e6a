"""EDI files sent and applied (by SHA-256, so applying one twice is a no-op) and the work queue.

The work queue holds what a person must look at: an 835 claim or a 277CA acknowledgement that
matches no claim of ours, or one that cannot be posted as it stands (a negative amount, a claim
already adjudicated). Nothing received is dropped; each item names why it is there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from otbill.domain.exchange import ExchangedFile, QueuedItem
from otbill.domain.money import from_cents, to_cents
from otbill.domain.remittance import PaymentHeader
from otbill.storage import UnitOfWork

__all__ = [
    "WorkItem",
    "add_work_item",
    "file_digest",
    "find_file",
    "open_work_items",
    "record_file",
    "remittance_id",
    "source_seen",
]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_file(uow: UnitOfWork, direction: str, sha256: str) -> int | None:
    """The id of the file with this digest already sent or applied, else None."""
    return uow.exchange.file_id(direction, sha256)


def record_file(
    uow: UnitOfWork,
    *,
    direction: str,
    kind: str,
    name: str,
    sha256: str,
    summary: dict[str, Any],
    control_number: int | None = None,
    outgoing: bytes | None = None,
) -> int:
    """Remember a file sent or applied, with an audit row (no PHI: counts and claim numbers);
    returns its id. ``outgoing``: the file's bytes, kept in the outbox until it is marked sent."""
    file = ExchangedFile(direction, kind, name[-255:], sha256, summary, control_number)
    file_id = uow.exchange.add_file(file, uow.actor_id, outgoing)
    after = {"kind": kind, "name": file.name, "sha256": sha256, "control_number": control_number,
             "to_send": outgoing is not None}  # fmt: skip
    uow.audit.record(uow.actor_id, f"edi.{direction}", "edi_file", file_id, None, after)
    return file_id


def add_work_item(uow: UnitOfWork, source_key: str, **fields: Any) -> bool:
    """Queue an item (once per ``source_key``; ``fields`` as :func:`work_item` takes them);
    returns whether it was new."""
    if uow.exchange.has_work_item(source_key):
        return False
    add_work_items(uow, [work_item(source_key, **fields)])
    return True


def work_item(
    source_key: str,
    *,
    kind: str,
    reference: str,
    reason: str,
    payer_claim_number: str | None = None,
    claim_id: int | None = None,
    remittance_id: int | None = None,
    paid_cents: int = 0,
    charge_cents: int = 0,
) -> QueuedItem:
    """An item to queue (see :func:`add_work_item`), its texts cut to their columns."""
    return QueuedItem(
        id=0,
        source_key=source_key[:200],
        kind=kind,
        reference=reference[:80],
        reason=reason,
        payer_claim_number=(payer_claim_number or None) and payer_claim_number[:50],
        claim_id=claim_id,
        remittance_id=remittance_id,
        paid_cents=paid_cents,
        charge_cents=charge_cents,
    )


def add_work_items(uow: UnitOfWork, items: Sequence[QueuedItem]) -> None:
    """Queue these items, none queued before (the caller knows: an 835's step read its keys
    at once), in one flush, each with its audit row."""
    if not items:
        return
    for item, item_id in zip(items, uow.exchange.add_work_items(items), strict=True):
        after = {"kind": item.kind, "reference": item.reference, "reason": item.reason,
                 "claim_id": item.claim_id}  # fmt: skip
        uow.audit.record(uow.actor_id, "edi.work_item", "edi_work_item", item_id, None, after)


@dataclass(frozen=True, slots=True)
class WorkItem:
    id: int
    kind: str
    reference: str
    payer_claim_number: str | None
    claim_id: int | None
    paid: str
    charge: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def open_work_items(uow: UnitOfWork) -> list[WorkItem]:
    """Unresolved items, oldest first."""
    return [
        WorkItem(
            r.id,
            r.kind,
            r.reference,
            r.payer_claim_number,
            r.claim_id,
            str(from_cents(r.paid_cents)),
            str(from_cents(r.charge_cents)),
            r.reason,
        )
        for r in uow.exchange.open_work_items()
    ]


def source_seen(uow: UnitOfWork, prefix: str) -> bool:
    """Whether anything (a posting or a queued item) was already made under ``prefix:``."""
    return uow.exchange.source_seen(prefix + ":")


def remittance_id(uow: UnitOfWork, header: PaymentHeader, paid_on: dt.date, sha256: str) -> int:
    """The id of the remittance of this payer and trace number (created once, with an audit row)."""
    payer = uow.payers.by_code(header.payer_id)
    payer_id = payer.id if payer else None
    trace = header.trace_number[:80]
    found = uow.remittances.find_id(payer_id, header.payer_id, trace)
    if found is not None:
        return found
    total = to_cents(header.total_paid.quantize(Decimal("0.01")))
    payer_code = header.payer_id[:80] or None
    made = uow.remittances.add(payer_id=payer_id, payer_code=payer_code, trace_number=trace,
                               paid_on=paid_on, total_cents=total, file_sha256=sha256)  # fmt: skip
    after = {
        "trace": trace,
        "payer_code": payer_code,
        "total": header.total_paid,
        "paid_on": paid_on,
    }
    uow.audit.record(uow.actor_id, "remittance.create", "remittance", made, None, after)
    return made
