"""The prior payers a secondary or tertiary claim reports (837P 2320/2330/2430), from the records.

Why its own module: :func:`coordinated` is applied wherever a stored claim becomes the domain
:class:`~otbill.domain.claim.Claim` (re-scrub, submit), after
:func:`~otbill.services.claims.assemble.assemble_claim`; a primary claim comes back unchanged.
Each prior claim in the chain (the primary, then the secondary for a tertiary) becomes an
:class:`~otbill.domain.claim.OtherCoverage` at its place (P, S) with what its payer decided, read
from that claim's unreversed 835 postings (:func:`otbill.domain.coordination.prior_adjudication`).
"""

from __future__ import annotations

import dataclasses
from typing import Literal, cast

from otbill.domain.claim import Claim, OtherCoverage, PayerRef
from otbill.domain.claim_records import ClaimFacts
from otbill.domain.coordination import prior_adjudication
from otbill.storage import UnitOfWork

__all__ = ["chain_before", "coordinated"]

Insured = Literal["self", "spouse", "child", "other"]
Network = Literal["in", "out"]
Place = Literal["P", "S", "T"]


def chain_before(uow: UnitOfWork, claim_id: int) -> list[tuple[int, Place]]:
    """The claims before ``claim_id`` in its chain, first payer first, with their places."""
    out: list[tuple[int, Place]] = []
    link = uow.coordination.follows(claim_id)
    while link is not None:
        before = uow.coordination.follows(link.prior_claim_id)
        place = cast(Place, before.sequence if before else "P")
        out.insert(0, (link.prior_claim_id, place))
        link = before
    return out


def _prior(uow: UnitOfWork, claim: Claim, prior_id: int, place: Place) -> OtherCoverage:
    row = uow.claims.get(prior_id)
    coverage = uow.patients.coverage(row.coverage_id)
    payer = uow.payers.get(row.payer_id)
    lines = [
        (x.position, x.code, tuple(m for m in x.modifiers.split(",") if m), x.units)
        for x in uow.claims.lines(prior_id)
    ]
    insured = coverage.subscriber if coverage.relationship != "self" else None
    return OtherCoverage(
        responsibility=place,
        payer=PayerRef(
            profile=payer.profile,
            payer_id=payer.payer_code,
            name=payer.name,
            network=cast(Network, coverage.network),
        ),
        member_id=coverage.member_id,
        first_name=insured["first_name"] if insured else claim.patient.first_name,
        last_name=insured["last_name"] if insured else claim.patient.last_name,
        relationship=cast(Insured, coverage.relationship if insured else "self"),
        group_number=coverage.group_number or None,
        address=None if insured else claim.patient.address,
        adjudication=prior_adjudication(uow.coordination.adjudication_facts(prior_id), lines),
    )


def coordinated(uow: UnitOfWork, row: ClaimFacts, claim: Claim) -> Claim:
    """``claim`` as its payer's place in line sees it: unchanged for a primary claim; for a
    later payer's claim (or a correction of one), SBR01 S or T and the prior payers with their
    adjudication."""
    own = row.id
    link = uow.coordination.follows(own)
    if link is None and row.original_claim_id is not None:  # a correction of a later claim
        own = row.original_claim_id
        link = uow.coordination.follows(own)
    if link is None:
        return claim
    priors = tuple(_prior(uow, claim, i, place) for i, place in chain_before(uow, own))
    return dataclasses.replace(
        claim,
        responsibility=cast(Place, link.sequence),
        other_coverages=priors,
    )
