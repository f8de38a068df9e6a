"""Secondary and tertiary claims: built after the prior payer's 835, or waited for on crossover.

When a claim's 835 posts (:mod:`otbill.services.remittances.remittance_posting` calls
:func:`after_adjudication`) and leaves the patient a share (group PR) while the patient has a
coverage at the next place on the date of service, the next payer's claim is built: a copy of the
claim's lines and charges for that coverage, linked to it (``uow.coordination``), SBR01 S or T,
with the prior payers' adjudication in its 837P (:mod:`otbill.services.claims.prior_payers`).
The patient's share moves to it in the ledger (:func:`otbill.domain.coordination.handoff`).

Where it goes: a claim built by hand (``otbill claims secondary CLAIM``) is scrubbed at once, to
``ready`` or ``held``; one built while an 835 posts is left in ``draft`` with a history entry,
because posting has no scrub run, and the claim page's Re-scrub puts it in the queue. Either way
it needs approval by a second person, like every claim: the payer profiles have no setting that
lets a secondary skip it, and the amounts on it (the primary's adjudication) are worth a second
look before they go out.

Crossover: when the 835 says the payer forwarded the claim (:func:`crossover_reason`), nothing
is sent; the notice is kept, the claim's history says "crossed over to <payer>: waiting for its
835", and the next payer's claim is recorded as ``submitted`` (the payer sent it) so that the
secondary's 835, which quotes the primary's claim number (CLP01), posts to it
(:func:`payment_target`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from otbill.domain.care import Coverage
from otbill.domain.claim_records import StoredClaim
from otbill.domain.coordination import (
    crossover_reason,
    is_prior_payer_adjustment,
    next_sequence,
    patient_shares,
)
from otbill.domain.lifecycle import ClaimStatus, Role
from otbill.domain.record_errors import RecordError
from otbill.domain.remittance import ClaimPayment
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.services.claims import lifecycle
from otbill.services.claims.corrections import find_claim
from otbill.services.claims.handoff import hand_off
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import UnitOfWork
from otbill.storage.repositories.coordination import Crossover

__all__ = [
    "NextClaim",
    "after_adjudication",
    "build_next_claim",
    "build_secondary",
    "drop_prior_payers_part",
    "hand_off",
    "next_coverage",
    "payment_target",
]

_PRIORITY = {"S": 2, "T": 3}
_ADJUDICATED = {ClaimStatus.PAID.value, ClaimStatus.PARTIALLY_PAID.value, ClaimStatus.DENIED.value}
_OPEN = {ClaimStatus.SUBMITTED.value, ClaimStatus.ACCEPTED.value, ClaimStatus.APPEALED.value}
_PLACE_WORD = {"S": "secondary", "T": "tertiary"}


def _place(uow: UnitOfWork, claim_id: int) -> str:
    link = uow.coordination.follows(claim_id)
    return link.sequence if link else "P"


def _in_force(c: Coverage, on: dt.date) -> bool:
    return (c.effective_from is None or c.effective_from <= on) and (
        c.effective_to is None or on <= c.effective_to
    )


def next_coverage(uow: UnitOfWork, claim: StoredClaim) -> tuple[str, Coverage] | None:
    """The next place (S or T) and the patient's coverage there on the date of service."""
    sequence = next_sequence(_place(uow, claim.id))
    if sequence is None:
        return None
    found = [
        c
        for c in uow.patients.coverages([claim.patient_id])
        if c.priority == _PRIORITY[sequence] and _in_force(c, claim.date_of_service)
    ]
    return (sequence, min(found, key=lambda c: c.id)) if found else None


def _label(claim: StoredClaim) -> str:
    return f"claim {claim.number}"


def _number(uow: UnitOfWork, claim: StoredClaim, sequence: str) -> str:
    root = claim.number
    link = uow.coordination.follows(claim.id)
    while link is not None:
        root = uow.claims.get(link.prior_claim_id).number
        link = uow.coordination.follows(link.prior_claim_id)
    return f"{root[:36]}-{sequence}"


def _share(uow: UnitOfWork, claim_id: int) -> Decimal:
    return sum(
        (a for a, _ in patient_shares(uow.ledger.postings(claim_id=claim_id)).values()),
        Decimal("0.00"),
    )


def build_next_claim(
    uow: UnitOfWork,
    claim_id: int,
    on: dt.date,
    *,
    run: ScrubContext | None = None,
    rules: Sequence[Rule] = (),
    why: str = "",
) -> int:
    """The next payer's claim after ``claim_id`` (see the module docstring); its id.

    Refused, naming the claim, when its 835 has not posted, a later claim exists already, the
    patient has no coverage at the next place on the date of service, or the 835 left the
    patient nothing to pass on."""
    prior = uow.claims.get(claim_id)
    if prior.status not in _ADJUDICATED:
        raise RecordError(
            f"{_label(prior)}: its payer's 835 has not posted (the claim is {prior.status}); "
            "a secondary claim follows the primary's adjudication"
        )
    later = uow.coordination.followed_by(claim_id)
    if later is not None:
        number = uow.claims.get(later.claim_id).number
        raise RecordError(f"{_label(prior)}: the next payer's claim {number} exists already")
    found = next_coverage(uow, prior)
    if found is None:
        raise RecordError(
            f"{_label(prior)}: the patient has no coverage after this claim's payer in force on "
            f"{prior.date_of_service:%d %b %Y} (add it on the patient's page, with its priority)"
        )
    sequence, coverage = found
    share = _share(uow, claim_id)
    if share <= 0:
        raise RecordError(
            f"{_label(prior)}: its 835 left the patient nothing (no group PR amount) for the "
            f"{_PLACE_WORD[sequence]} payer to consider"
        )
    payer = uow.payers.get(coverage.payer_id)
    number = _number(uow, prior, sequence)
    new_id = uow.coordination.add_following(
        claim_id,
        number=number,
        coverage_id=coverage.id,
        payer_id=coverage.payer_id,
        sequence=sequence,
        by_user=uow.actor_id,
    )
    reason = why or f"{_PLACE_WORD[sequence]} claim to {payer.name} after {_label(prior)}'s 835"
    uow.claims.add_status_change(new_id, None, ClaimStatus.DRAFT.value, reason, uow.actor_id)
    uow.audit.record(
        uow.actor_id,
        "claim.create",
        "claim",
        new_id,
        None,
        {"number": number, "follows": prior.number, "sequence": sequence,
         "payer": payer.name, "charge_basis": str(share)},
    )  # fmt: skip
    uow.flush()
    if run is not None:
        lifecycle.rescrub(uow, new_id, run, rules)
    else:
        uow.claims.add_status_change(
            new_id,
            ClaimStatus.DRAFT.value,
            ClaimStatus.DRAFT.value,
            "built while an 835 posted: re-scrub it, then it needs approval like any claim",
            uow.actor_id,
        )
    return new_id


def _remarks(payment: ClaimPayment) -> list[str]:
    out = list(payment.remarks)
    for svc in payment.services:
        out += svc.remarks
    return out


def _cross_over(
    uow: UnitOfWork, claim: StoredClaim, reason: str, remittance_id: int | None, on: dt.date
) -> None:
    found = next_coverage(uow, claim)
    payer = uow.payers.get(found[1].payer_id).name if found else "the next payer"
    notice = Crossover(claim.id, remittance_id, payer[:80], reason[:80], on)
    if not uow.coordination.add_crossover(notice):
        return
    status = uow.claims.get(claim.id).status
    note = f"crossed over to {payer}: waiting for its 835 ({reason})"
    uow.claims.add_status_change(claim.id, status, status, note, uow.actor_id)
    uow.audit.record(uow.actor_id, "claim.crossover", "claim", claim.id, None, {"note": note})
    if found is None or uow.coordination.followed_by(claim.id) is not None:
        return
    if _share(uow, claim.id) <= 0:
        return
    new_id = build_next_claim(uow, claim.id, on, why=f"crossed over from {_label(claim)}")
    hand_off(uow, new_id, on)
    # the payer sent it on: no 837P from the clinic, and its 835 is expected
    uow.claims.change(new_id, status=ClaimStatus.SUBMITTED.value)
    uow.claims.add_status_change(
        new_id,
        ClaimStatus.DRAFT.value,
        ClaimStatus.SUBMITTED.value,
        f"crossed over: {payer} received it from the prior payer; waiting for its 835",
        uow.actor_id,
    )
    uow.audit.record(uow.actor_id, "claim.transition", "claim", new_id,
                     {"status": "draft"}, {"status": "submitted", "reason": "crossover"})  # fmt: skip


def after_adjudication(
    uow: UnitOfWork,
    claim_id: int,
    payment: ClaimPayment,
    remittance_id: int | None,
    on: dt.date,
) -> None:
    """After an 835 posted a claim: wait on crossover, or build the next payer's claim when the
    patient has a share and a coverage at the next place; else nothing."""
    claim = uow.claims.get(claim_id)
    reason = crossover_reason(payment.status, _remarks(payment))
    if reason is not None:
        _cross_over(uow, claim, reason, remittance_id, on)
        return
    if claim.status not in _ADJUDICATED or uow.coordination.followed_by(claim_id) is not None:
        return
    if next_coverage(uow, claim) is None or _share(uow, claim_id) <= 0:
        return
    build_next_claim(uow, claim_id, on)


def payment_target(uow: UnitOfWork, claim: StoredClaim, payer_code: str) -> StoredClaim:
    """The claim an 835 claim payment posts to: ``claim`` (found by CLP01), or, when the claim
    crossed over and another payer sends it, the claim after it for that payer, else the open
    one."""
    if uow.payers.get(claim.payer_id).payer_code == payer_code or claim.status in _OPEN:
        return claim
    if not uow.coordination.crossovers(claim.id):
        return claim  # a claim the clinic sent on quotes its own number: nothing to route
    later: list[StoredClaim] = []
    link = uow.coordination.followed_by(claim.id)
    while link is not None:
        later.append(uow.claims.get(link.claim_id))
        link = uow.coordination.followed_by(link.claim_id)
    for candidate in later:
        if uow.payers.get(candidate.payer_id).payer_code == payer_code:
            return candidate
    return next((c for c in later if c.status in _OPEN), claim)


class _Adjusting(Protocol):
    @property
    def group(self) -> str | None: ...
    @property
    def carc(self) -> str | None: ...


T = TypeVar("T", bound=_Adjusting)


def drop_prior_payers_part(uow: UnitOfWork, claim_id: int, planned: Iterable[T]) -> list[T]:
    """A later payer's postings without its CARC 23 adjustments (the prior payers' part, already
    on the prior claim's lines); a primary claim's postings unchanged."""
    planned = list(planned)
    if uow.coordination.follows(claim_id) is None:
        return planned
    return [p for p in planned if not is_prior_payer_adjustment(p.group, p.carc)]


@dataclass(frozen=True, slots=True)
class NextClaim:
    """The claim built by hand (``otbill claims secondary``), as the CLI prints it."""

    id: int
    number: str
    place: str  # secondary, tertiary
    payer: str
    prior_number: str
    charge_basis: Decimal
    status: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "number": self.number, "place": self.place, "payer": self.payer,
                "follows": self.prior_number, "charge_basis": str(self.charge_basis),
                "status": self.status}  # fmt: skip


def build_secondary(
    uow: UnitOfWork, key: str, on: dt.date, run: ScrubContext, rules: Sequence[Rule]
) -> NextClaim:
    """:func:`build_next_claim` for the claim numbered (or with the id) ``key``, scrubbed."""
    require_actor_role(uow, Role.BILLER)
    prior = find_claim(uow, key)
    share = _share(uow, prior.id)
    made = build_next_claim(uow, prior.id, on, run=run, rules=rules, why="built by hand")
    link = uow.coordination.follows(made)
    claim = uow.claims.get(made)
    return NextClaim(
        made,
        claim.number,
        _PLACE_WORD[link.sequence if link else "S"],
        uow.payers.get(claim.payer_id).name,
        prior.number,
        share,
        claim.status,
    )
