"""EDI files sent and applied (by SHA-256, so applying one twice is a no-op) and the work queue.

The work queue holds what a person must look at: an 835 claim or a 277CA acknowledgement that
matches no claim of ours, or one that cannot be posted as it stands (a negative amount, a claim
already adjudicated). Nothing received is dropped; each item names why it is there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, or_, select

from otbill.domain.money import from_cents, to_cents
from otbill.domain.remittance import PaymentHeader
from otbill.storage import UnitOfWork
from otbill.storage.audit import utcnow
from otbill.storage.tables import EdiFileRow, PayerRow, PostingRow, RemittanceRow, WorkItemRow

__all__ = [
    "WorkItem",
    "add_work_item",
    "file_digest",
    "find_file",
    "open_work_items",
    "record_file",
    "remittance_row",
    "source_seen",
]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_file(uow: UnitOfWork, direction: str, sha256: str) -> EdiFileRow | None:
    return uow.records.first(
        EdiFileRow, EdiFileRow.direction == direction, EdiFileRow.sha256 == sha256
    )


def record_file(
    uow: UnitOfWork,
    *,
    direction: str,
    kind: str,
    name: str,
    sha256: str,
    summary: dict[str, Any],
    control_number: int | None = None,
) -> EdiFileRow:
    """Remember a file sent or applied, with an audit row (no PHI: counts and claim numbers)."""
    row = uow.records.add(
        EdiFileRow(
            direction=direction,
            kind=kind,
            name=name[-255:],
            sha256=sha256,
            control_number=control_number,
            at=utcnow(),
            by_user=uow.actor_id,
            summary=summary,
        )
    )
    uow.flush()
    after = {"kind": kind, "name": row.name, "sha256": sha256, "control_number": control_number}
    uow.audit.record(uow.actor_id, f"edi.{direction}", "edi_file", row.id, None, after)
    return row


def add_work_item(
    uow: UnitOfWork,
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
) -> bool:
    """Queue an item (once per ``source_key``); returns whether it was new."""
    if uow.records.first(WorkItemRow, WorkItemRow.source_key == source_key) is not None:
        return False
    row = uow.records.add(
        WorkItemRow(
            source_key=source_key[:200],
            kind=kind,
            reference=reference[:80],
            payer_claim_number=(payer_claim_number or None) and payer_claim_number[:50],
            claim_id=claim_id,
            remittance_id=remittance_id,
            paid_cents=paid_cents,
            charge_cents=charge_cents,
            reason=reason,
            created_at=utcnow(),
        )
    )
    uow.flush()
    after = {"kind": kind, "reference": row.reference, "reason": reason, "claim_id": claim_id}
    uow.audit.record(uow.actor_id, "edi.work_item", "edi_work_item", row.id, None, after)
    return True


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
    rows = uow.records.find(WorkItemRow, WorkItemRow.resolved_at.is_(None))
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
        for r in rows
    ]


def source_seen(uow: UnitOfWork, prefix: str) -> bool:
    """Whether anything (a posting or a queued item) was already made under ``prefix:``."""
    like = prefix + ":"
    query = select(
        or_(
            exists().where(
                PostingRow.clinic_id == uow.clinic_id, PostingRow.source_key.startswith(like)
            ),
            exists().where(
                WorkItemRow.clinic_id == uow.clinic_id, WorkItemRow.source_key.startswith(like)
            ),
        )
    )
    return bool(uow.session.scalar(query))


def remittance_row(
    uow: UnitOfWork, header: PaymentHeader, paid_on: dt.date, sha256: str
) -> RemittanceRow:
    """The remittance of this payer and trace number (created once, with an audit row)."""
    rec = uow.records
    payer = rec.first(PayerRow, PayerRow.payer_code == header.payer_id)
    payer_id = payer.id if payer else None
    same_payer = (
        RemittanceRow.payer_id == payer_id
        if payer_id
        else and_(RemittanceRow.payer_id.is_(None), RemittanceRow.payer_code == header.payer_id)
    )
    trace = header.trace_number[:80]
    found = rec.first(RemittanceRow, RemittanceRow.trace_number == trace, same_payer)
    if found is not None:
        return found
    total = to_cents(header.total_paid.quantize(Decimal("0.01")))
    row = rec.add(
        RemittanceRow(
            payer_id=payer_id,
            trace_number=trace,
            paid_on=paid_on,
            total_cents=total,
            file_sha256=sha256,
            payer_code=header.payer_id[:80] or None,
        )
    )
    uow.flush()
    after = {
        "trace": trace,
        "payer_code": row.payer_code,
        "total": header.total_paid,
        "paid_on": paid_on,
    }
    uow.audit.record(uow.actor_id, "remittance.create", "remittance", row.id, None, after)
    return row
