"""Changing a draft visit from its page: the service lines' minutes and the note's template.

Why here and not in ``visits``: recording a visit writes it once; a therapist correcting minutes or
switching the template before signing is a separate use case with its own guards — the note must
be unsigned, and the visit must not be on a claim yet (after that, the biller edits the claim, so
the claim and the note never disagree silently). Units are recomputed from the minutes under the
payer's method, never typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from otbill import units
from otbill.domain.care import StoredNote, VisitLine
from otbill.domain.notes import NoteType
from otbill.domain.record_errors import NoteLocked, RecordError
from otbill.payers import PayerProfile
from otbill.services.views.therapist_day import billed_claim
from otbill.services.visits.record import Service, profile_of
from otbill.storage import UnitOfWork

__all__ = ["set_note_type", "set_services"]


def _draft_note(uow: UnitOfWork, visit_id: int) -> StoredNote:
    note = uow.visits.note_of_visit(visit_id)
    if note is None:
        raise RecordError(f"visit {visit_id}: has no note")
    if note.signed_at is not None:
        raise NoteLocked(f"note {note.id}: signed on {note.signed_at:%Y-%m-%d}; add an amendment")
    return note


def _merged(services: Sequence[Service]) -> dict[str, int]:
    minutes: dict[str, int] = {}
    for s in services:
        code = s.code.strip().upper()
        minutes[code] = minutes.get(code, 0) + s.minutes
    return minutes


def set_services(
    uow: UnitOfWork,
    visit_id: int,
    services: Sequence[Service],
    profiles: Mapping[str, PayerProfile],
) -> None:
    """Replace the visit's codes and minutes (a code left out is removed); units recomputed."""
    visit = uow.visits.lock(visit_id)
    _draft_note(uow, visit_id)
    claim = billed_claim(uow, visit_id)
    if claim is not None:
        raise RecordError(
            f"visit {visit_id}: already billed on claim {claim.number}; ask a biller to edit it"
        )
    if not services:
        raise RecordError(f"visit {visit_id}: at least one service (code and minutes) is needed")
    method = profile_of(uow, visit.coverage_id, profiles).units_method  # no coverage: self-pay
    wanted = _merged(services)
    result = units.compute_units(list(wanted.items()), method, on=visit.date)
    lines = uow.visits.lines(visit_id)
    before = {line.code: line.minutes for line in lines}
    by_code = {line.code: line for line in lines}
    for line in lines:
        if line.code not in wanted:
            uow.visits.remove_line(line.id)
    uow.flush()
    for position, (code, minutes) in enumerate(wanted.items(), start=1):
        found, n = by_code.get(code), result.units_for(code)
        if found is None:
            uow.visits.add_line(visit_id, VisitLine(0, visit_id, position, code, minutes, n))
        else:
            uow.visits.change_line(found.id, position=position, minutes=minutes, units=n)
    uow.audit.record(uow.actor_id, "visit.services", "visit", visit_id, before, wanted)


def set_note_type(uow: UnitOfWork, visit_id: int, note_type: str) -> None:
    """Switch a draft note to another template (evaluation, daily, progress, ...)."""
    note = _draft_note(uow, visit_id)
    new = NoteType(note_type).value
    if new != note.note_type:
        before = {"note_type": note.note_type}
        uow.visits.change_note(note.id, note_type=new)
        uow.audit.record(uow.actor_id, "note.template", "note", note.id, before, {"note_type": new})
