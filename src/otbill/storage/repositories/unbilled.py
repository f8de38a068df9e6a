"""Which visits no claim bills yet: one definition for the work figures, the owner's agings and
the company dashboard (each adds its own clinic filter)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import aliased

from otbill.storage.tables import ClaimRow, ClaimVisitRow, ServiceLineRow, VisitRow

__all__ = ["unbilled_visit"]


def unbilled_visit() -> ColumnElement[bool]:
    """Visits with service lines that no claim (other than a void) bills yet, as
    ``VisitRepository.unbilled`` selects them for the claim builder."""
    billed = (
        select(ClaimVisitRow.id)
        .join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id)
        .where(ClaimVisitRow.visit_id == VisitRow.id, ClaimRow.frequency_code != "8")
    )
    line = aliased(ServiceLineRow)  # apart from the lines an outer query may sum
    has_lines = select(line.id).where(line.visit_id == VisitRow.id)
    return and_(~exists(billed), exists(has_lines))
