"""Filing an appeal of a denial: the claim moves to ``appealed`` and the appeal is recorded.

A denial past its appeal deadline (set when the 835 was posted, :mod:`otbill.services.denials.open`)
may still be appealed, but only when the biller says so (``allow_late``), since the payer will
likely refuse it (CARC 286).
"""

from __future__ import annotations

import datetime as dt

from otbill.domain.appeals import Appeal
from otbill.domain.lifecycle import ClaimStatus
from otbill.errors import OtbillError
from otbill.services.claims import lifecycle as claims
from otbill.storage import UnitOfWork

__all__ = ["AlreadyAppealed", "AppealLate", "record_appeal"]


class AppealLate(OtbillError):
    """The appeal deadline has passed; filing needs the biller's explicit confirmation."""


class AlreadyAppealed(OtbillError):
    """An appeal was already filed for this denial."""


def record_appeal(
    uow: UnitOfWork, denial_id: int, on: dt.date, reason: str, *, allow_late: bool = False
) -> Appeal:
    """File a first (or next) level appeal of a denial: the claim moves to ``appealed``."""
    denial = uow.denials.get(denial_id)
    claim = uow.claims.for_update(denial.claim_id)
    earlier = uow.denials.appeal_of(denial.id)
    if earlier is not None:
        raise AlreadyAppealed(
            f"claim {claim.number}: this denial was already appealed on {earlier.filed_on}"
        )
    deadline = denial.appeal_deadline
    if deadline is not None and on > deadline and not allow_late:
        raise AppealLate(
            f"claim {claim.number}: the appeal deadline passed on {deadline}; the payer will "
            "likely refuse a late appeal. Confirm to file it anyway."
        )
    text = reason.strip() or f"appeal of denial {denial.group_code}-{denial.carc}"
    claims.transition(uow, claim.id, ClaimStatus.APPEALED, f"appeal filed: {text}"[:2000])
    level = uow.denials.appeal_count(claim.id) + 1
    row = uow.denials.add_appeal(
        Appeal(0, claim.id, denial.id, level, on, text, "pending", uow.actor_id)
    )
    after = {"claim_id": claim.id, "denial_id": denial.id, "level": level, "filed_on": on,
             "late": bool(deadline and on > deadline)}  # fmt: skip
    uow.audit.record(uow.actor_id, "appeal.file", "appeal", row.id, None, after)
    return row
