"""Telehealth facts shared by the telehealth rules (no rules here)."""

from __future__ import annotations

from otbill.codes import pos
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext

__all__ = ["is_telehealth", "window"]


def is_telehealth(claim: Claim, ctx: ClaimContext) -> bool:
    """The record says telehealth, or the place of service is one of the payer's telehealth
    places (or a CMS telehealth place, 02/10)."""
    place = claim.place_of_service
    return (
        claim.telehealth
        or place in ctx.profile.telehealth.places_of_service
        or place in pos.TELEHEALTH
    )


def window(ctx: ClaimContext) -> str:
    """The dates the payer pays therapy by telehealth, in words."""
    policy = ctx.profile.telehealth
    if policy.allowed_from is None:
        return "the payer does not pay therapy by telehealth"
    end = wording.day(policy.allowed_to) if policy.allowed_to else "no end date"
    return f"the payer pays therapy by telehealth from {wording.day(policy.allowed_from)} to {end}"
