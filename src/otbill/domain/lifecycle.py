"""The claim lifecycle: which status may follow which (who may approve: ``domain.approval``).

Why a table and not scattered ``if``s: every service that moves a claim asks the same function, so
an illegal move (approving a held claim, paying a draft) is refused in one place with one message.

    draft → held | ready                     (after scrubbing)
    held ⇄ ready, held|ready → draft         (re-scrub after an edit; editing reopens the draft)
    ready → approved → submitted → accepted | rejected
    rejected → draft | closed                (fix and resubmit, or give up)
    accepted → paid | partially_paid | denied
    paid → closed; partially_paid | denied → appealed | closed
    appealed → paid | partially_paid | denied | closed

Corrected (frequency 7) and void (8) claims are new claims that link to the original.
"""

from __future__ import annotations

import enum

from otbill.domain.record_errors import IllegalTransition

__all__ = [
    "EDITABLE",
    "TRANSITIONS",
    "ClaimStatus",
    "Frequency",
    "Role",
    "check_transition",
]


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"
    HELD = "held"
    READY = "ready"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    APPEALED = "appealed"
    CLOSED = "closed"


class Frequency(enum.StrEnum):
    """CLM05-3: original, replacement (corrected) or void."""

    ORIGINAL = "1"
    CORRECTED = "7"
    VOID = "8"


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    BILLER = "biller"
    APPROVER = "approver"
    AUDITOR = "auditor"
    FRONT_DESK = "front-desk"  # registration, coverage, authorizations, the schedule
    ADMIN = "admin"


S = ClaimStatus
_ADJUDICATED = (S.PAID, S.PARTIALLY_PAID, S.DENIED)
TRANSITIONS: dict[ClaimStatus, tuple[ClaimStatus, ...]] = {
    S.DRAFT: (S.HELD, S.READY),
    S.HELD: (S.READY, S.HELD, S.DRAFT),
    S.READY: (S.APPROVED, S.HELD, S.READY, S.DRAFT),
    S.APPROVED: (S.SUBMITTED,),
    S.SUBMITTED: (S.ACCEPTED, S.REJECTED),
    S.ACCEPTED: _ADJUDICATED,
    S.REJECTED: (S.DRAFT, S.CLOSED),
    S.PAID: (S.CLOSED,),
    S.PARTIALLY_PAID: (S.APPEALED, S.CLOSED),
    S.DENIED: (S.APPEALED, S.CLOSED),
    S.APPEALED: (*_ADJUDICATED, S.CLOSED),
    S.CLOSED: (),
}
#: Statuses in which a claim's lines may still be edited (editing sends it back to draft).
EDITABLE = frozenset({S.DRAFT, S.HELD, S.READY, S.REJECTED})


def check_transition(record: str, current: str, target: str) -> ClaimStatus:
    """The target status, or :class:`IllegalTransition` naming the record and the allowed moves."""
    allowed = TRANSITIONS.get(ClaimStatus(current), ())
    try:
        wanted = ClaimStatus(target)
    except ValueError:
        wanted = None
    if wanted is None or wanted not in allowed:
        raise IllegalTransition(record, current, target, tuple(s.value for s in allowed))
    return wanted
