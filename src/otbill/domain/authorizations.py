"""Prior authorizations as running balances: which statuses cover a visit, the moves between
statuses, and the visits and units used, counted from the visits themselves.

Why use is derived and never typed: the visits used are the visits recorded on the coverage in
the authorization's date range (for a per-code authorization, the visits with one of its codes),
so "visits left" can never drift from what was done. The claim builder, the scrubber's AUT rules,
the therapist's warnings and the authorization pages all count with :func:`counts_toward`.

>>> auth = Authorization(1, 7, "A1", dt.date(2025, 1, 1), dt.date(2025, 3, 31), 12, None,
...                      "approved", ("97110", "97530"))
>>> counts_toward(auth, 7, dt.date(2025, 2, 3), {"97530"})
True
>>> counts_toward(auth, 7, dt.date(2025, 2, 3), {"97165"})
False
>>> shown_status(auth, dt.date(2025, 4, 1))
'expired'
>>> check_move("A1", "denied", "approved")
Traceback (most recent call last):
...
otbill.domain.record_errors.IllegalTransition: authorization A1: cannot go from denied to approved; allowed: pending
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from otbill.domain.care import Authorization
from otbill.domain.record_errors import IllegalTransition, RecordError

__all__ = [
    "COVERING",
    "MOVES",
    "AuthStatus",
    "Entry",
    "EntryKind",
    "Usage",
    "VisitUse",
    "check_move",
    "counts_toward",
    "covering",
    "overlapping_approval",
    "shown_status",
    "usage",
]


class AuthStatus(enum.StrEnum):
    """Where an authorization stands; ``expired`` is never stored: it follows from the end date."""

    REQUESTED = "requested"  # the clinic asked the payer
    PENDING = "pending"  # the payer has it under review
    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially-approved"  # fewer visits, codes or days than asked
    DENIED = "denied"
    EXPIRED = "expired"


# Only an approval covers a service; a requested, pending or denied authorization does not.
COVERING = frozenset({AuthStatus.APPROVED, AuthStatus.PARTIALLY_APPROVED})

# The moves a person may make. A payer can answer on the first call (requested -> approved); a
# denial can be reconsidered (back to pending); a partial approval can be completed.
MOVES: dict[AuthStatus, tuple[AuthStatus, ...]] = {
    AuthStatus.REQUESTED: (
        AuthStatus.PENDING,
        AuthStatus.APPROVED,
        AuthStatus.PARTIALLY_APPROVED,
        AuthStatus.DENIED,
    ),
    AuthStatus.PENDING: (AuthStatus.APPROVED, AuthStatus.PARTIALLY_APPROVED, AuthStatus.DENIED),
    # An approval can be extended or changed by the payer (more visits, a later end date): the
    # clinic records it as a move to the same or the other approved status.
    AuthStatus.PARTIALLY_APPROVED: (AuthStatus.APPROVED, AuthStatus.PARTIALLY_APPROVED),
    AuthStatus.APPROVED: (AuthStatus.APPROVED, AuthStatus.PARTIALLY_APPROVED),
    AuthStatus.DENIED: (AuthStatus.PENDING,),
}


def check_move(number: str, current: str, target: str) -> AuthStatus:
    """The target status when the move is allowed; a plain refusal otherwise."""
    if target == AuthStatus.EXPIRED:
        raise RecordError(
            f"authorization {number}: expired is not set by hand; it follows from the end date"
        )
    try:
        wanted = AuthStatus(target)
    except ValueError:
        choices = ", ".join(s.value for s in MOVES)
        raise RecordError(f"status {target!r} is not one of: {choices}") from None
    allowed = MOVES[AuthStatus(current)]
    if wanted not in allowed:
        names = tuple(s.value for s in allowed)
        raise IllegalTransition(f"authorization {number}", current, wanted.value, names)
    return wanted


def shown_status(auth: Authorization, today: dt.date) -> str:
    """The status people see: an approval whose end date has passed shows as expired."""
    if auth.status in COVERING and auth.end_date < today:
        return AuthStatus.EXPIRED.value
    return auth.status


def counts_toward(
    auth: Authorization, coverage_id: int, on: dt.date, codes: Collection[str]
) -> bool:
    """Whether a visit on ``on`` with these codes, on this coverage, uses the authorization."""
    if auth.coverage_id != coverage_id or not auth.start_date <= on <= auth.end_date:
        return False
    return not auth.codes or any(code in auth.codes for code in codes)


def covering(
    auths: Iterable[Authorization], coverage_id: int, on: dt.date, codes: Collection[str]
) -> Authorization | None:
    """The approved authorization a visit is billed under: per-code ones first, then by start."""
    found = [a for a in auths if a.status in COVERING and counts_toward(a, coverage_id, on, codes)]
    found.sort(key=lambda a: (not a.codes, a.start_date, a.id))
    return found[0] if found else None


def overlapping_approval(
    auth: Authorization, others: Iterable[Authorization]
) -> Authorization | None:
    """Another approval on the same coverage that would cover the same visits as ``auth``.

    Two approvals overlap when their date ranges meet and they authorize the same codes: both
    for every code, or both per code with a code in common. A per-code approval beside one for
    every code does not overlap (payers authorize an evaluation apart from treatment, and
    :func:`covering` bills per-code approvals first); two that overlap would let a visit count
    against either, so the second is refused.

    >>> a = Authorization(1, 7, "A1", dt.date(2025, 1, 1), dt.date(2025, 3, 31), 12)
    >>> b = Authorization(2, 7, "A2", dt.date(2025, 3, 1), dt.date(2025, 6, 30), 10)
    >>> overlapping_approval(b, [a]).number
    'A1'
    >>> evaluation = Authorization(3, 7, "E1", dt.date(2025, 3, 1), dt.date(2025, 3, 31), 1,
    ...                            codes=("97165",))
    >>> overlapping_approval(evaluation, [a]) is None
    True
    """
    for other in others:
        if other.id == auth.id or other.coverage_id != auth.coverage_id:
            continue
        if other.status not in COVERING:
            continue
        if other.end_date < auth.start_date or auth.end_date < other.start_date:
            continue
        if bool(other.codes) != bool(auth.codes):
            continue
        if auth.codes and not set(auth.codes) & set(other.codes):
            continue
        return other
    return None


class EntryKind(enum.StrEnum):
    """What an entry of the authorization's channel records."""

    REQUEST = "request"  # the clinic asked (or asked again)
    REPLY = "reply"  # the payer answered
    CALL = "call"  # a phone call: reference number and the person spoken to
    FAX = "fax"
    PORTAL = "portal"  # a payer portal submission or message
    DOCUMENT = "document"  # a document attached (its reference: file name or scan id)
    NOTE = "note"
    STATUS = "status"  # a status change, written by the service


@dataclass(frozen=True, slots=True)
class Entry:
    """One logged step on an authorization: who wrote it when, and who owns the next step by
    which date."""

    id: int
    authorization_id: int
    kind: str
    text: str
    at: dt.datetime
    author_id: int | None = None
    reference: str | None = None
    contact: str | None = None
    document: str | None = None
    owner_id: int | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class VisitUse:
    """One recorded visit as an authorization counts it: coverage, date, units per code."""

    visit_id: int
    coverage_id: int
    date: dt.date
    units: tuple[tuple[str, int], ...]  # (code, units) of each service line


@dataclass(frozen=True, slots=True)
class Usage:
    """The running balance: visits and units used, and what is left when a number is set."""

    visits_used: int
    units_used: int
    visits_left: int | None
    units_left: int | None


def usage(auth: Authorization, visits: Iterable[VisitUse]) -> Usage:
    """Visits and units used under the authorization (per code when it is per code)."""
    n_visits = n_units = 0
    for visit in visits:
        codes = {code for code, _ in visit.units}
        if not counts_toward(auth, visit.coverage_id, visit.date, codes):
            continue
        n_visits += 1
        n_units += sum(u for c, u in visit.units if not auth.codes or c in auth.codes)
    visits_left = None if auth.visits_authorized is None else auth.visits_authorized - n_visits
    units_left = None if auth.units_authorized is None else auth.units_authorized - n_units
    return Usage(n_visits, n_units, visits_left, units_left)
