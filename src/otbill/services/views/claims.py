"""Read-only views of claims for the CLI and the web: plain data, no SQL outside this module."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound
from otbill.storage import UnitOfWork
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, PayerRow

__all__ = ["ClaimSummary", "claim_detail", "list_claims"]


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    id: int
    number: str
    status: str
    date_of_service: dt.date
    payer: str
    total_charge: str
    errors: int

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_service"] = self.date_of_service.isoformat()
        return data


def _summary(claim: ClaimRow, payers: dict[int, str]) -> ClaimSummary:
    return ClaimSummary(
        claim.id,
        claim.number,
        claim.status,
        claim.date_of_service,
        payers.get(claim.payer_id, "?"),
        str(from_cents(claim.total_charge_cents)),
        claim.error_count,
    )


_QUEUE_COLUMNS = (
    ClaimRow.id,
    ClaimRow.number,
    ClaimRow.status,
    ClaimRow.date_of_service,
    ClaimRow.payer_id,
    ClaimRow.total_charge_cents,
    ClaimRow.error_count,
)


def list_claims(
    uow: UnitOfWork, status: str | None = None, limit: int | None = None
) -> list[ClaimSummary]:
    """The claims queue (one status, or all), oldest date of service first.

    Reads only the queue's columns (served by ``ix_claim_queue``), not the findings JSON.
    """
    payers = {p.id: p.name for p in uow.records.find(PayerRow)}
    query = select(*_QUEUE_COLUMNS).where(ClaimRow.clinic_id == uow.clinic_id)
    if status is not None:
        query = query.where(ClaimRow.status == status)
    query = query.order_by(ClaimRow.date_of_service, ClaimRow.id).limit(limit)
    return [
        ClaimSummary(cid, number, st, on, payers.get(payer, "?"), str(from_cents(cents)), errors)
        for cid, number, st, on, payer, cents, errors in uow.session.execute(query)
    ]


def claim_detail(uow: UnitOfWork, key: str) -> dict[str, Any]:
    """One claim by id or number: header, lines, findings and status history."""
    claim = uow.records.first(ClaimRow, ClaimRow.number == key)
    if claim is None and key.isdigit():
        claim = uow.records.get(ClaimRow, int(key))
    if claim is None:
        raise NotFound("claim", key)
    payers = {p.id: p.name for p in uow.records.find(PayerRow)}
    lines = uow.records.find(
        ClaimLineRow, ClaimLineRow.claim_id == claim.id, order=ClaimLineRow.position
    )
    history = uow.records.find(ClaimStatusRow, ClaimStatusRow.claim_id == claim.id)
    return {
        **_summary(claim, payers).as_json(),
        "frequency_code": claim.frequency_code,
        "original_claim_id": claim.original_claim_id,
        "place_of_service": claim.place_of_service,
        "telehealth": claim.telehealth,
        "lines": [
            {
                "position": x.position,
                "code": x.code,
                "minutes": x.minutes,
                "units": x.units,
                "modifiers": [m for m in x.modifiers.split(",") if m],
                "charge": str(from_cents(x.charge_cents)),
            }
            for x in lines
        ],
        "findings": claim.findings,
        "history": [
            {
                "from": h.from_status,
                "to": h.to_status,
                "at": h.at.isoformat(),
                "by": h.by_user,
                "reason": h.reason,
            }
            for h in history
        ],
    }
