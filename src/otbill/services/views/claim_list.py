"""One page of the claims list (``otbill claims list``): the rows and how many claims there are."""

from __future__ import annotations

from dataclasses import dataclass

from otbill.domain.money import from_cents
from otbill.services.views.choices import payer_names
from otbill.services.views.claims import ClaimSummary
from otbill.storage import UnitOfWork

__all__ = ["ClaimsPage", "claims_page"]


@dataclass(frozen=True, slots=True)
class ClaimsPage:
    rows: list[ClaimSummary]
    total: int  # claims in the status (or all), not only on this page
    offset: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.rows)
        return end if self.rows and end < self.total else None


def claims_page(uow: UnitOfWork, status: str | None, limit: int, offset: int = 0) -> ClaimsPage:
    """Claims ``offset`` to ``offset + limit`` in the work-queue order (oldest service first)."""
    counts = uow.queues.status_counts()
    total = counts.get(status, 0) if status is not None else sum(counts.values())
    payers = payer_names(uow)
    rows = [
        ClaimSummary(
            c.id,
            c.number,
            c.status,
            c.date_of_service,
            payers.get(c.payer_id, "?"),
            str(from_cents(c.total_charge_cents)),
            c.errors,
        )
        for c in uow.reports.claim_briefs(status=status, limit=limit, offset=offset)
    ]
    return ClaimsPage(rows, total, offset)
