"""What the desk says at booking and check-in from the payer's latest 271: the copay to collect
and the therapy visits left.

Only the answer on record counts: the 271 that made the coverage's last verified check (a later
phone or portal check, or an answer that verified nothing, says nothing about money or visits).
Visits left are as the payer counted them on the day it answered.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from otbill.domain.care import Coverage
from otbill.services.visits.warnings import VisitWarning
from otbill.storage import UnitOfWork

__all__ = ["benefit_notes"]


def _money(value: object) -> str | None:
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
    return None if amount is None else f"${amount:,.2f}".replace(".00", "")


def _copay(summary: dict[str, object]) -> str | None:
    copay = summary.get("copay")
    if not isinstance(copay, dict):
        return None
    inside, outside = _money(copay.get("in_network")), _money(copay.get("out_of_network"))
    if inside and outside:
        return f"copay due {inside} in network ({outside} out of network)"
    if inside or outside:
        return f"copay due {inside or outside}" + (" out of network" if outside else "")
    return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def benefit_notes(uow: UnitOfWork, coverage: Coverage, payer: str) -> list[VisitWarning]:
    """The copay and visits left from the coverage's 271 on record (empty when there is none)."""
    check = uow.eligibility.latest(coverage.id)
    verified = coverage.eligibility_verified_on
    if check is None or check.active is not True or check.checked_on != verified:
        return []
    summary = check.benefits.get("summary")
    if not isinstance(summary, dict):
        return []
    said = f"{payer}'s eligibility answer of {check.checked_on}"
    notes = []
    copay = _copay(summary)
    if copay:
        notes.append(VisitWarning("info", "benefits", f"{copay.capitalize()}, per {said}."))
    left, limit = _count(summary.get("visits_remaining")), _count(summary.get("visit_limit"))
    if left is not None:
        of = f" of {limit}" if limit is not None else ""
        if left <= 0:
            text = f"No therapy visits left{of}, per {said}: check with the payer before the visit."
            notes.append(VisitWarning("warning", "benefits", text))
        else:
            notes.append(VisitWarning("info", "benefits", f"Visits left: {left}{of}, per {said}."))
    return notes
