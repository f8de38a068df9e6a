"""Separation of duties on stored claims: record who changed a claim, say who may approve it.

Every content change (a line edit, an applied fix) calls :func:`record_editor` in the unit of work
that makes it; :func:`otbill.services.claims.lifecycle.approve` refuses everyone recorded, and the
claim page and the approval queue ask :func:`approval_checks` before showing an active Approve
button. The rule itself is :func:`otbill.domain.approval.approval_refusal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from otbill.domain.approval import (
    Approver,
    Involvement,
    approval_refusal,
    eligible_approvers,
    involvement_names,
)
from otbill.domain.claim_records import StoredClaim
from otbill.domain.record_errors import NotFound, PermissionDenied
from otbill.storage import UnitOfWork

__all__ = ["ApprovalCheck", "approval_checks", "check_may_approve", "record_editor"]


@dataclass(frozen=True, slots=True)
class ApprovalCheck:
    """May the acting user approve this claim; if not, why (in names); and who may."""

    claim_id: int
    refusal: str | None
    approvers: tuple[str, ...]  # the names of the clinic's users who may approve it
    involved: tuple[str, ...]  # "Bea Biller created the claim on 1 Apr 2025", oldest first

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def record_editor(uow: UnitOfWork, claim_id: int, what: str) -> None:
    """The acting user just changed the claim's content (``what``: "edited line 2"); they may not
    approve it, whoever saves it after them. A change made by no person (a system job) bars no one.
    """
    if uow.actor_id is not None:
        uow.claims.editors.note(claim_id, uow.actor_id, what)


def _acting(uow: UnitOfWork) -> Approver:
    if uow.actor_id is None:
        return Approver(0, "the system", frozenset())
    try:
        account = uow.users.get(uow.actor_id)
    except NotFound:
        return Approver(uow.actor_id, "a user of another clinic", frozenset())
    return Approver(account.id, account.full_name, frozenset(account.roles), account.active)


def _label(number: str) -> str:
    return f"claim {number}"


def approval_checks(
    uow: UnitOfWork,
    claims: Iterable[tuple[int, str]],
    involved: Mapping[int, list[Involvement]] | None = None,
) -> dict[int, ApprovalCheck]:
    """For each (claim id, claim number): may the acting user approve it, why not, and who may.

    ``involved``: each claim's creator and editors when the caller has read them (a queue page
    has its claims' rows), else read here."""
    claims = list(claims)
    if involved is None:
        involved = uow.claims.editors.of(claim_id for claim_id, _ in claims)
    accounts = uow.users.accounts()
    users = [Approver(a.id, a.full_name, frozenset(a.roles), a.active) for a in accounts]
    names = {a.id: a.full_name for a in accounts}
    # the acting user is one of the clinic's accounts just read (else another clinic's, or none)
    me = next((u for u in users if u.user_id == uow.actor_id), None) or _acting(uow)
    return {
        claim_id: ApprovalCheck(
            claim_id,
            approval_refusal(_label(number), me, involved[claim_id]),
            tuple(eligible_approvers(users, involved[claim_id])),
            tuple(involvement_names(involved[claim_id], names)),
        )
        for claim_id, number in claims
    }


def check_may_approve(uow: UnitOfWork, claim: StoredClaim) -> None:
    """:class:`PermissionDenied` (naming the person and what they did) unless the acting user may
    approve ``claim``."""
    involved: list[Involvement] = uow.claims.editors.of([claim.id])[claim.id]
    refusal = approval_refusal(_label(claim.number), _acting(uow), involved)
    if refusal:
        raise PermissionDenied(refusal)
