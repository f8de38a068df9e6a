"""Read-only views of claims for the CLI and the web: plain data (the queries are ``uow.reports``')."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound
from otbill.services.views.choices import payer_names
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_claims import ClaimBrief, ClaimHeader

__all__ = ["ClaimSummary", "claim_detail", "claim_header", "list_claims"]


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


def _summary(claim: ClaimBrief, payers: dict[int, str]) -> ClaimSummary:
    return ClaimSummary(
        claim.id,
        claim.number,
        claim.status,
        claim.date_of_service,
        payers.get(claim.payer_id, "?"),
        str(from_cents(claim.total_charge_cents)),
        claim.errors,
    )


def list_claims(
    uow: UnitOfWork, status: str | None = None, limit: int | None = None
) -> list[ClaimSummary]:
    """The claims queue (one status, or all), oldest date of service first.

    Reads only the queue's columns (served by ``ix_claim_queue``), not the findings JSON.
    """
    payers = payer_names(uow)
    return [_summary(c, payers) for c in uow.reports.claim_briefs(status=status, limit=limit)]


def claim_header(uow: UnitOfWork, key: str) -> ClaimHeader:
    """One claim by number, else by id (:class:`NotFound` when neither is this clinic's)."""
    claim_id = uow.reports.claim_id_by_number(key)
    if claim_id is None and key.isascii() and key.isdigit() and len(key) < 19:  # a 64-bit id
        claim_id = int(key)
    header = uow.reports.claim_header(claim_id) if claim_id is not None else None
    if header is None:
        raise NotFound("claim", key)
    return header


def claim_detail(uow: UnitOfWork, key: str) -> dict[str, Any]:
    """One claim by id or number: header, lines, findings and status history."""
    claim = claim_header(uow, key)
    claim_id = claim.brief.id
    return {
        **_summary(claim.brief, {claim.brief.payer_id: claim.payer}).as_json(),
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
                "modifiers": list(x.modifiers),
                "charge": str(from_cents(x.charge_cents)),
            }
            for x in uow.reports.claim_lines(claim_id)
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
            for h in uow.reports.status_moves(claim_id)
        ],
    }
