"""The scrubber's :class:`~otbill.domain.claim.Eligibility` of a coverage: the last verified date
and result, with the plan dates and therapy visit counts of the latest 271 kept for it.

The 271's figures count only when that answer is the check on record (made the day the coverage
was last verified, and it verified something): a later phone or portal check replaces it, and an
answer that verified nothing (an AAA rejection) says nothing about dates or visits.
"""

from __future__ import annotations

import datetime as dt

from otbill.domain.care import Coverage
from otbill.domain.claim import Eligibility
from otbill.domain.eligibility import StoredCheck

__all__ = ["eligibility_of"]


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def eligibility_of(coverage: Coverage, check: StoredCheck | None) -> Eligibility | None:
    """None when the coverage was never verified."""
    verified = coverage.eligibility_verified_on
    if verified is None:
        return None
    active = bool(coverage.eligibility_active)
    if check is None or check.active is None or check.checked_on != verified:
        return Eligibility(verified_on=verified, active=active)
    summary = check.benefits.get("summary")
    if not isinstance(summary, dict):
        return Eligibility(verified_on=verified, active=active)
    limit, used = _count(summary.get("visit_limit")), _count(summary.get("visits_used"))
    left = _count(summary.get("visits_remaining"))
    if used is None and limit is not None and left is not None:
        used = max(limit - left, 0)  # the payer gave what is left, not what is used
    return Eligibility(
        verified_on=verified,
        active=active,
        plan_begin=_date(summary.get("plan_begin")),
        plan_end=_date(summary.get("plan_end")),
        visit_limit=limit,
        visits_used=used,
    )
