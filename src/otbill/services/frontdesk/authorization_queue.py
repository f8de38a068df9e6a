"""The authorization work queue and the authorization page, read from the records.

Three buckets, each row with who owns it: what is pending (requested or under payer review, with
its follow-up date), what runs out (an approval ending within 14 days or with 3 or fewer visits
left), and what was denied (until its date range has passed). The owner and follow-up date of an
authorization are those named by its latest entries that name them (each on its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from otbill.domain.authorizations import (
    COVERING,
    MOVES,
    AuthStatus,
    Entry,
    Usage,
    shown_status,
)
from otbill.domain.care import Authorization, Coverage
from otbill.services.frontdesk.authorizations import pending_use, usage_of
from otbill.storage import UnitOfWork

__all__ = [
    "EXPIRING_DAYS",
    "FEW_VISITS",
    "AuthorizationPage",
    "AuthorizationQueue",
    "AuthorizationSummary",
    "CoverageChoice",
    "EntryView",
    "authorization_list",
    "authorization_page",
    "authorization_queue",
    "coverage_choices",
]

EXPIRING_DAYS = 14
FEW_VISITS = 3
_PENDING = {AuthStatus.REQUESTED, AuthStatus.PENDING}


@dataclass(frozen=True, slots=True)
class AuthorizationSummary:
    """One authorization as lists and the queue show it."""

    id: int
    number: str
    patient_id: int
    patient: str
    payer: str
    priority: str  # primary, secondary, tertiary: the coverage's place
    status: str  # as shown: expired when an approval's end date has passed
    start: dt.date
    end: dt.date
    codes: tuple[str, ...]
    visits_authorized: int | None
    units_authorized: int | None
    usage: Usage
    owner: str | None
    owner_id: int | None
    follow_up: dt.date | None


@dataclass(frozen=True, slots=True)
class EntryView:
    at: dt.datetime
    kind: str
    text: str
    author: str
    reference: str | None
    contact: str | None
    document: str | None
    owner: str | None
    due_on: dt.date | None


@dataclass(frozen=True, slots=True)
class AuthorizationPage:
    summary: AuthorizationSummary
    entries: list[EntryView]
    moves: tuple[str, ...]  # the statuses it may move to now
    # Scheduled visits not yet recorded (services.frontdesk.authorizations.pending_use): None
    # means "not known yet", never zero.
    pending_use: int | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationQueue:
    pending: list[AuthorizationSummary]
    running_out: list[AuthorizationSummary]
    denied: list[AuthorizationSummary]
    owners: dict[int, str]  # everyone who owns a row, for the owner filter


_PRIORITY = {1: "primary", 2: "secondary", 3: "tertiary"}
_ONE_BY_ONE = 20  # up to this many coverages are read by id, more in one query


def _coverages(uow: UnitOfWork, ids: set[int]) -> dict[int, Coverage]:
    """These coverages: one by one for a page, the clinic's in one query for a whole queue."""
    if len(ids) <= _ONE_BY_ONE:
        return {i: uow.patients.coverage(i) for i in ids}
    return {c.id: c for c in uow.patients.coverages(None) if c.id in ids}


def _owners_and_follow_ups(
    entries: Sequence[Entry],
) -> tuple[dict[int, int], dict[int, dt.date]]:
    """Each authorization's owner and follow-up date: the latest entry naming each (entries in
    the order written)."""
    owners: dict[int, int] = {}
    follow_ups: dict[int, dt.date] = {}
    for entry in entries:
        if entry.owner_id is not None:
            owners[entry.authorization_id] = entry.owner_id
        if entry.due_on is not None:
            follow_ups[entry.authorization_id] = entry.due_on
    return owners, follow_ups


def _summaries(
    uow: UnitOfWork, auths: Sequence[Authorization], today: dt.date
) -> list[AuthorizationSummary]:
    coverages = _coverages(uow, {a.coverage_id for a in auths})
    patients = {p.id: p for p in uow.patients.by_ids({coverages[a.coverage_id].patient_id
                                                       for a in auths})}  # fmt: skip
    payers = {p.id: p.name for p in uow.payers.all()}
    usages = usage_of(uow, auths)
    owners, follow_ups = _owners_and_follow_ups(uow.authorizations.entries([a.id for a in auths]))
    names = uow.users.full_names(set(owners.values()))
    found = []
    for a in auths:
        coverage = coverages[a.coverage_id]
        patient = patients[coverage.patient_id]
        owner_id = owners.get(a.id)
        found.append(
            AuthorizationSummary(
                a.id,
                a.number,
                patient.id,
                f"{patient.last_name}, {patient.first_name}",
                payers.get(coverage.payer_id, ""),
                _PRIORITY.get(coverage.priority, "other"),
                shown_status(a, today),
                a.start_date,
                a.end_date,
                a.codes,
                a.visits_authorized,
                a.units_authorized,
                usages[a.id],
                names.get(owner_id) if owner_id else None,
                owner_id,
                follow_ups.get(a.id),
            )
        )
    return found


def _running_out(s: AuthorizationSummary, today: dt.date) -> bool:
    if s.status not in COVERING:
        return False
    left = s.usage.visits_left
    return s.end <= today + dt.timedelta(days=EXPIRING_DAYS) or (
        left is not None and left <= FEW_VISITS
    )


def authorization_queue(
    uow: UnitOfWork, today: dt.date, owner_id: int | None = None
) -> AuthorizationQueue:
    """What needs the front desk: pending, running out, denied; only one owner's when given."""
    every = _summaries(uow, uow.authorizations.of(current_on=today), today)
    owners = {s.owner_id: s.owner or "" for s in every if s.owner_id is not None}
    mine = [s for s in every if owner_id is None or s.owner_id == owner_id]
    by_follow_up = sorted(
        (s for s in mine if s.status in _PENDING), key=lambda s: (s.follow_up or s.end, s.id)
    )
    return AuthorizationQueue(
        pending=by_follow_up,
        running_out=[s for s in mine if _running_out(s, today)],
        denied=[s for s in mine if s.status == AuthStatus.DENIED and s.end >= today],
        owners=owners,
    )


def authorization_list(
    uow: UnitOfWork, today: dt.date, patient_id: int | None = None
) -> list[AuthorizationSummary]:
    """Every authorization (of one patient, or all), by end date."""
    return _summaries(uow, uow.authorizations.of(patient_id=patient_id), today)


def authorization_page(uow: UnitOfWork, authorization_id: int, today: dt.date) -> AuthorizationPage:
    """One authorization with its running balance and its channel in order."""
    auth = uow.authorizations.get(authorization_id)
    (summary,) = _summaries(uow, [auth], today)
    entries = uow.authorizations.entries([auth.id])
    people = {e.author_id for e in entries} | {e.owner_id for e in entries}
    names = uow.users.full_names({p for p in people if p is not None})
    views = [
        EntryView(
            e.at,
            e.kind,
            e.text,
            names.get(e.author_id, "") if e.author_id else "",
            e.reference,
            e.contact,
            e.document,
            names.get(e.owner_id) if e.owner_id else None,
            e.due_on,
        )
        for e in entries
    ]
    moves = tuple(s.value for s in MOVES[AuthStatus(auth.status)])
    return AuthorizationPage(summary, views, moves, pending_use(uow, auth))


@dataclass(frozen=True, slots=True)
class CoverageChoice:
    """A coverage a request can be opened on, as the form lists it."""

    id: int
    label: str  # "Acme Health (secondary), member ACM123"


def coverage_choices(uow: UnitOfWork, patient_id: int) -> tuple[str, list[CoverageChoice]]:
    """The patient's name and coverages (:class:`NotFound` when not this clinic's)."""
    patient = uow.patients.get(patient_id)
    payers = {p.id: p.name for p in uow.payers.all()}
    choices = [
        CoverageChoice(c.id, f"{payers.get(c.payer_id, '')} "
                             f"({_PRIORITY.get(c.priority, 'other')}), member {c.member_id}")
        for c in uow.patients.coverages([patient_id])
    ]  # fmt: skip
    return f"{patient.last_name}, {patient.first_name}", choices
