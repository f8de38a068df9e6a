"""Facts the authorization rules share (private to the family; no rules here)."""

from __future__ import annotations

from otbill.domain.claim import Claim
from otbill.payers.profile import AfterVisits
from otbill.rules import wording
from otbill.rules.context import ClaimContext

__all__ = ["authorization_needed", "visit_dates"]


def authorization_needed(claim: Claim, ctx: ClaimContext) -> bool:
    """Whether the payer wants a prior authorization for this claim's visit.

    The profile decides from the visit number. When a profile requires it only after the first
    visits (the evaluation) and the claim has no visit number, a claim that bills nothing but an
    initial evaluation is taken to be that evaluation, so it needs none.
    """
    profile = ctx.profile
    if not profile.authorization_required(claim.visit_number):
        return False
    if claim.visit_number is None and isinstance(profile.prior_authorization, AfterVisits):
        infos = ctx.infos
        if infos and all(info is not None and info.evaluation == "eval" for info in infos):
            return False
    return True


def visit_dates(ctx: ClaimContext) -> list[str]:
    """The claim's distinct dates of service (one visit each), sorted, as people write them."""
    return [wording.day(d) for d in sorted(ctx.lines_by_date)]
