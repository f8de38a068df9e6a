"""Prior authorizations and their one channel: open a request, log every step, move the status.

Why one channel: every request, payer reply, call (with its reference number and the person
spoken to), fax or portal reference and attached document is an entry on the authorization, with
who wrote it, who owns the next step and by when; the authorization work queue reads them.
Visits used are never typed: they are counted from the recorded visits
(:func:`otbill.domain.authorizations.usage`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from otbill import clock
from otbill.codes import cpt
from otbill.domain.authorizations import (
    COVERING,
    AuthStatus,
    Entry,
    EntryKind,
    Usage,
    check_move,
    overlapping_approval,
    usage,
)
from otbill.domain.care import Authorization, Visit
from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import RecordError
from otbill.errors import OtbillError
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import UnitOfWork

__all__ = [
    "MAX_CODES",
    "MAX_TEXT",
    "MAX_UNITS",
    "MAX_VISITS",
    "change_status",
    "covering_visit",
    "log_entry",
    "open_authorization",
    "pending_use",
    "usage_of",
]

MAX_VISITS = 999  # no payer authorizes more visits at once; a bigger number is a typing slip
MAX_UNITS = 9999
MAX_TEXT = 2000
MAX_CODES = 50
_NEEDS_REFERENCE = {EntryKind.CALL, EntryKind.FAX, EntryKind.PORTAL}
_CLERKS = (Role.FRONT_DESK, Role.BILLER)  # who works authorizations (admins too)


def _now() -> dt.datetime:
    """Naive UTC, as the records store times."""
    return clock.utcnow()


def _count(name: str, value: int | None, most: int) -> int | None:
    if value is not None and not 0 <= value <= most:
        raise RecordError(f"{name} {value}: must be between 0 and {most}")
    return value


def _codes(codes: Sequence[str], on: dt.date) -> tuple[str, ...]:
    if len(codes) > MAX_CODES:
        raise RecordError(f"codes: at most {MAX_CODES} codes on one authorization")
    checked = []
    for code in codes:
        try:
            checked.append(cpt.validate(code.strip().upper(), on))
        except OtbillError as error:
            raise RecordError(f"codes: {error}") from None
    return tuple(dict.fromkeys(checked))


def _dates(number: str, start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RecordError(f"end date {end} is before start date {start} (authorization {number})")


def _number(number: str) -> str:
    number = number.strip()
    if not number or len(number) > 80:
        raise RecordError("number: give the payer's authorization or request reference (≤ 80)")
    return number


def _no_overlap(uow: UnitOfWork, auth: Authorization) -> None:
    """Refuse a second approval for the same visits (see :func:`overlapping_approval`)."""
    if auth.status not in COVERING:
        return
    other = overlapping_approval(auth, uow.authorizations.of(coverage_ids=[auth.coverage_id]))
    if other is not None:
        codes = f" for {', '.join(other.codes)}" if other.codes else ""
        raise RecordError(
            f"authorization {auth.number} ({auth.start_date:%d %b %Y} to {auth.end_date:%d %b %Y})"
            f" overlaps authorization {other.number}, {other.status} from"
            f" {other.start_date:%d %b %Y} to {other.end_date:%d %b %Y}{codes}, on the same"
            " coverage: extend that one instead, or change the dates so they do not meet"
        )


def _not_below_use(uow: UnitOfWork, auth: Authorization) -> None:
    """An approval cannot grant fewer visits or units than were already used under it."""
    used = usage_of(uow, [auth])[auth.id]
    for name, granted, count in (
        ("visits authorized", auth.visits_authorized, used.visits_used),
        ("units authorized", auth.units_authorized, used.units_used),
    ):
        if granted is not None and granted < count:
            raise RecordError(
                f"{name} {granted}: authorization {auth.number} has already been used for"
                f" {count}; give at least {count}"
            )


def open_authorization(
    uow: UnitOfWork,
    *,
    coverage_id: int,
    number: str,
    start: dt.date,
    end: dt.date,
    codes: Sequence[str] = (),
    status: str = AuthStatus.REQUESTED,
    visits_authorized: int | None = None,
    units_authorized: int | None = None,
    note: str = "",
    owner_id: int | None = None,
    due_on: dt.date | None = None,
) -> int:
    """A new authorization on a coverage, requested (the default) or already approved, with its
    first entry in the channel; returns its id."""
    require_actor_role(uow, *_CLERKS)
    uow.patients.coverage(coverage_id)
    number = _number(number)
    _dates(number, start, end)
    if status not in (AuthStatus.REQUESTED, AuthStatus.APPROVED):
        raise RecordError(f"status {status}: a new authorization is requested or approved")
    auth = Authorization(
        0,
        coverage_id,
        number,
        start,
        end,
        _count("visits authorized", visits_authorized, MAX_VISITS),
        _count("units authorized", units_authorized, MAX_UNITS),
        str(status),
        _codes(codes, start),
    )
    _no_overlap(uow, auth)
    auth_id = uow.authorizations.add(auth)
    uow.audit.record(uow.actor_id, "authorization.create", "authorization", auth_id, None,
                     {"coverage_id": coverage_id, "number": number, "status": str(status),
                      "start": start.isoformat(), "end": end.isoformat(),
                      "visits_authorized": visits_authorized, "codes": list(auth.codes)})  # fmt: skip
    kind = EntryKind.REQUEST if status == AuthStatus.REQUESTED else EntryKind.NOTE
    text = note or f"authorization {number} {status}"
    log_entry(uow, auth_id, kind=kind, text=text, owner_id=owner_id, due_on=due_on)
    return auth_id


def log_entry(
    uow: UnitOfWork,
    authorization_id: int,
    *,
    kind: str,
    text: str = "",
    reference: str | None = None,
    contact: str | None = None,
    document: str | None = None,
    owner_id: int | None = None,
    due_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> int:
    """One step in the authorization's channel; a call names its reference number and the
    person spoken to, a fax or portal entry its reference, a document its reference."""
    require_actor_role(uow, *_CLERKS)
    auth = uow.authorizations.get(authorization_id)
    try:
        what = EntryKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in EntryKind if k != EntryKind.STATUS)
        raise RecordError(f"kind {kind!r}: choose one of {choices}") from None
    reference, contact, document = (v.strip() or None if v else None
                                    for v in (reference, contact, document))  # fmt: skip
    if what in _NEEDS_REFERENCE and not reference:
        raise RecordError(f"reference: a {what} entry needs its reference number")
    if what == EntryKind.CALL and not contact:
        raise RecordError("contact: name the person spoken to on the call")
    if what == EntryKind.DOCUMENT and not document:
        raise RecordError("document: give the attached document's reference")
    for name, value, most in (
        ("text", text, MAX_TEXT),
        ("reference", reference, 80),
        ("contact", contact, 120),
        ("document", document, 300),
    ):
        if len(value or "") > most:
            raise RecordError(f"{name}: at most {most} characters")
    if owner_id is not None:
        uow.users.get(owner_id)
    entry = Entry(0, auth.id, what.value, text.strip(), at or _now(), uow.actor_id, reference,
                  contact, document, owner_id, due_on)  # fmt: skip
    entry_id = uow.authorizations.add_entry(entry)
    uow.audit.record(uow.actor_id, "authorization.log", "authorization", auth.id, None,
                     {"entry_id": entry_id, "kind": what.value, "reference": reference,
                      "owner_id": owner_id,
                      "due_on": due_on.isoformat() if due_on else None})  # fmt: skip
    return entry_id


def change_status(
    uow: UnitOfWork,
    authorization_id: int,
    *,
    status: str,
    number: str | None = None,
    visits_authorized: int | None = None,
    units_authorized: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    codes: Sequence[str] | None = None,
    note: str = "",
    owner_id: int | None = None,
    due_on: dt.date | None = None,
) -> None:
    """Move the authorization (requested -> pending -> approved, partially approved or denied),
    setting what the payer granted; an illegal move is refused in plain words."""
    require_actor_role(uow, *_CLERKS)
    auth = uow.authorizations.get(authorization_id, for_update=True)
    target = check_move(auth.number, auth.status, status)
    number = _number(number) if number else auth.number
    start, end = start or auth.start_date, end or auth.end_date
    _dates(number, start, end)
    checked = _codes(codes, start) if codes is not None else None
    visits = _count("visits authorized", visits_authorized, MAX_VISITS)
    units = _count("units authorized", units_authorized, MAX_UNITS)
    moved = Authorization(
        auth.id,
        auth.coverage_id,
        number,
        start,
        end,
        visits if visits is not None else auth.visits_authorized,
        units if units is not None else auth.units_authorized,
        target.value,
        checked if checked is not None else auth.codes,
    )
    _no_overlap(uow, moved)
    if target in COVERING:
        _not_below_use(uow, moved)
    uow.authorizations.change(
        auth.id,
        status=target.value,
        number=number,
        start_date=start,
        end_date=end,
        visits_authorized=visits,
        units_authorized=units,
        codes=checked,
    )
    after = {"status": target.value, "number": number, "start": start.isoformat(),
             "end": end.isoformat(), "visits_authorized": visits_authorized}  # fmt: skip
    uow.audit.record(uow.actor_id, "authorization.status", "authorization", auth.id,
                     {"status": auth.status, "number": auth.number}, after)  # fmt: skip
    granted = f" ({visits_authorized} visits)" if visits_authorized is not None else ""
    moved_text = (
        f"{target.value}, extended or changed"
        if auth.status == target.value
        else f"{auth.status} -> {target.value}"
    )
    text = f"{moved_text}{granted}" + (f": {note}" if note else "")
    entry = Entry(0, auth.id, EntryKind.STATUS.value, text, _now(), uow.actor_id,
                  owner_id=owner_id, due_on=due_on)  # fmt: skip
    uow.authorizations.add_entry(entry)


def usage_of(uow: UnitOfWork, auths: Sequence[Authorization]) -> dict[int, Usage]:
    """Each authorization's running balance, counted from the visits recorded on its coverage
    (scheduled visits are not use: see :func:`pending_use`)."""
    visits = uow.authorizations.uses({a.coverage_id for a in auths})
    return {a.id: usage(a, visits) for a in auths}


def covering_visit(uow: UnitOfWork, visit: Visit) -> tuple[Authorization | None, int]:
    """The approved authorization the visit is billed under, and the visits it has used up to
    and including this one (same day: recorded before it), as the claim builder counts."""
    if visit.coverage_id is None:  # self-pay: no payer, no authorization
        return None, 0
    codes = {line.code for line in uow.visits.lines(visit.id)}
    auth = uow.authorizations.covering_on(visit.coverage_id, visit.date, codes)
    if auth is None:
        return None, 0
    visits = uow.authorizations.uses([visit.coverage_id])
    through = [u for u in visits if (u.date, u.visit_id) <= (visit.date, visit.id)]
    return auth, usage(auth, through).visits_used


def pending_use(uow: UnitOfWork, auth: Authorization) -> int | None:
    """Visits booked under the authorization and not yet recorded ("pending use"), shown beside
    the balance, never in it.

    Counted from the schedule: appointments on the coverage in the authorization's date range
    still booked (a per-code authorization counts them all: an appointment has no codes yet)."""
    return uow.schedule.booked_count(auth.coverage_id, auth.start_date, auth.end_date)
