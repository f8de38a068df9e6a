"""Recording visits and their notes: minutes entered once, units computed, notes locked on signing.

Why units are computed here and never typed: the payer's method (``cms`` or ``per-code``) and the
minutes decide them; a person typing units is how claims and notes disagree. The visit is attached
to the authorization in force that day, which is how authorization use is counted.

A self-pay patient with no insurance on file is seen too: the visit has no coverage
(``coverage_id`` None), no authorization and no payer. Its units follow the CPT time rule per
code (``per-code``: a unit once the midpoint of its 15 minutes is passed), since no payer's
contract says otherwise, and its lines become charges on the patient's account at the price list
(:mod:`otbill.services.self_pay.charges`). Any other patient without coverage is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from otbill import clock, units
from otbill.codes import cpt, pos
from otbill.domain.care import Coverage, Visit, VisitLine
from otbill.domain.credentials import is_assistant
from otbill.domain.notes import NoteText, NoteType, VisitNote
from otbill.domain.record_errors import IncompleteNote, NoteLocked, PermissionDenied, RecordError
from otbill.payers import PayerProfile
from otbill.services.denials.prevention import payer_profile
from otbill.storage import UnitOfWork

__all__ = [
    "SELF_PAY",
    "Service",
    "amend_note",
    "load_note",
    "profile_of",
    "record_visit",
    "self_pay_profile",
    "sign_note",
    "update_note",
]

SELF_PAY = "Self-pay"  # what pages show where a payer's name would be


@cache
def self_pay_profile() -> PayerProfile:
    """The rules of a visit no payer pays: the CPT time rule per code, and none of a payer's
    checks (authorization, progress reports, plan of care certification, KX, MUE, eligibility)."""
    from otbill.payers.profile import PayerProfile as Profile  # reads YAML support on first use

    return Profile(name=SELF_PAY, description="no insurance: the patient pays the price list",
                   units_method="per-code", therapy_modifier=None, ncci=False, mue=False,
                   eligibility_valid_days=None, requires_rendering_provider=False)  # fmt: skip


def profile_of(
    uow: UnitOfWork, coverage_id: int | None, profiles: Mapping[str, PayerProfile]
) -> PayerProfile:
    """The payer profile a visit on this coverage follows (no coverage: :func:`self_pay_profile`)."""
    if coverage_id is None:
        return self_pay_profile()
    payer = uow.payers.get(uow.patients.coverage(coverage_id).payer_id)
    return payer_profile(uow, payer, profiles)  # with the payer's accepted profile changes


def require_self_pay(uow: UnitOfWork, patient_id: int, date: dt.date) -> None:
    """A visit with no coverage is only for a patient registered as self-pay."""
    if patient_id not in uow.self_pay.self_pay_patients([patient_id]):
        mrn = uow.patients.get(patient_id).mrn
        raise RecordError(
            f"visit {date}: patient {mrn} has no coverage; add the patient's insurance, or "
            "register the patient as self-pay"
        )


@dataclass(frozen=True, slots=True)
class Service:
    """One code done at the visit, with its minutes (the only place minutes are entered)."""

    code: str
    minutes: int
    distinct_service: bool = False
    modifiers: tuple[str, ...] = ()


def _merge(services: Sequence[Service]) -> list[Service]:
    merged: dict[str, Service] = {}
    for s in services:
        code = cpt.compact(s.code)
        if code in merged:
            old = merged[code]
            s = Service(
                code,
                old.minutes + s.minutes,
                old.distinct_service or s.distinct_service,
                old.modifiers or s.modifiers,
            )
        merged[code] = Service(code, s.minutes, s.distinct_service, s.modifiers)
    return list(merged.values())


def _check_place(date: dt.date, place: str, telehealth: bool) -> str:
    place = pos.validate(place, date)
    if telehealth and place not in ("02", "10"):
        raise RecordError(f"visit {date}: a telehealth visit needs POS 02 or 10, not {place}")
    return place


def _in_force(
    uow: UnitOfWork, patient_id: int, coverage: Coverage | None, date: dt.date
) -> tuple[int | None, int | None]:
    plan = uow.patients.plan_on(patient_id, date)
    auth = uow.authorizations.covering_on(coverage.id, date) if coverage else None
    return (plan.id if plan else None), (auth.id if auth else None)


def _visit_line(position: int, service: Service, units_: int) -> VisitLine:
    modifiers = ",".join(service.modifiers)
    return VisitLine(0, 0, position, service.code, service.minutes, units_, modifiers,
                     service.distinct_service)  # fmt: skip


def record_visit(
    uow: UnitOfWork,
    *,
    patient_id: int,
    coverage_id: int | None,
    provider_id: int,
    date: dt.date,
    services: Sequence[Service],
    note_type: str,
    note: Mapping[str, Any] | None = None,
    place_of_service: str = "11",
    telehealth: bool = False,
    profiles: Mapping[str, PayerProfile],
) -> int:
    """A visit with its service lines (units from the payer's method) and its draft note.

    A visit dated after the run's today (:mod:`otbill.clock`) is refused, from every door (the
    form, the API, check-in, an import): care is recorded once given, and a claim cannot bill it.
    ``coverage_id`` None: a self-pay visit, refused unless the patient is registered self-pay.
    """
    if date > clock.today():
        raise RecordError(
            f"date: {date} is after today ({clock.today()}); record a visit on or after its day"
        )
    uow.patients.get(patient_id)
    provider = uow.providers.get(provider_id)
    coverage = None
    if coverage_id is None:
        require_self_pay(uow, patient_id, date)
    else:
        coverage = uow.patients.coverage(coverage_id)
        if coverage.patient_id != patient_id:
            raise RecordError(f"visit {date}: coverage {coverage_id} is not this patient's")
    method = profile_of(uow, coverage_id, profiles).units_method
    merged = _merge(services)
    result = units.compute_units([(s.code, s.minutes) for s in merged], method, on=date)
    plan_id, auth_id = _in_force(uow, patient_id, coverage, date)
    place = _check_place(date, place_of_service, telehealth)
    visit = Visit(
        0, patient_id, coverage_id, provider.id, plan_id, auth_id, date, place, telehealth
    )
    lines = [_visit_line(i, s, result.units_for(s.code)) for i, s in enumerate(merged, start=1)]
    visit_id = uow.visits.add(visit, lines, created_by=uow.actor_id)
    text = NoteText.from_mapping(note or {})
    kind = NoteType(note_type).value
    note_id = uow.visits.add_note(visit_id, kind, text)
    uow.audit.record(
        uow.actor_id,
        "note.create",
        "note",
        note_id,
        None,
        {"visit_id": visit_id, "note_type": kind, **text.as_dict()},
    )
    return visit_id


def load_note(uow: UnitOfWork, note_id: int) -> VisitNote:
    """The note as the domain sees it: text, interventions from the service lines, amendments."""
    return uow.visits.note(note_id)


def update_note(uow: UnitOfWork, note_id: int, changes: Mapping[str, Any]) -> None:
    """Change a draft note's text; a signed note refuses (:class:`NoteLocked`)."""
    row = uow.visits.stored_note(note_id, for_update=True)
    if row.signed_at is not None:
        raise NoteLocked(f"note {note_id}: signed on {row.signed_at:%Y-%m-%d}; add an amendment")
    before = NoteText.from_mapping(row.content)
    after = NoteText.from_mapping({**row.content, **changes})
    uow.visits.change_note(note_id, text=after)
    uow.audit.record(
        uow.actor_id, "note.update", "note", note_id, before.as_dict(), after.as_dict()
    )


def sign_note(uow: UnitOfWork, note_id: int) -> None:
    """Sign as the acting user's provider; refuses an incomplete note, naming what is missing."""
    row = uow.visits.stored_note(note_id, for_update=True)
    if row.signed_at is not None:
        raise NoteLocked(f"note {note_id}: already signed")
    provider = uow.providers.of_user(uow.actor_id)
    if provider is None:
        who = uow.users.full_names({uow.actor_id}).get(uow.actor_id) if uow.actor_id else None
        raise PermissionDenied(
            f"note {note_id}: {who or 'this user'} is not linked to a provider, so cannot sign; "
            "the treating therapist signs"
        )
    if is_assistant(provider.credential) and row.note_type in ("evaluation", "re-evaluation"):
        raise PermissionDenied(f"note {note_id}: a COTA cannot sign an {row.note_type}")
    missing = tuple(m for m in load_note(uow, note_id).missing() if m != "signature")
    if missing:
        raise IncompleteNote(f"note {note_id}", missing)
    name = f"{provider.first_name} {provider.last_name}"
    uow.visits.sign_note(note_id, by_user=uow.actor_id, name=name, credential=provider.credential)
    uow.audit.record(
        uow.actor_id,
        "note.sign",
        "note",
        note_id,
        None,
        {"signature": name, "credential": provider.credential},
    )


def amend_note(uow: UnitOfWork, note_id: int, changes: Mapping[str, Any], reason: str) -> int:
    """A dated amendment to a signed note (the signed text itself is never rewritten)."""
    row = uow.visits.stored_note(note_id)
    if row.signed_at is None:
        raise RecordError(f"note {note_id}: not signed yet; edit it instead of amending")
    NoteText.from_mapping(changes)  # only known fields
    if not reason.strip():
        raise RecordError(f"note {note_id}: an amendment needs a reason")
    amendment_id = uow.visits.add_amendment(note_id, uow.actor_id, changes, reason)
    uow.audit.record(
        uow.actor_id,
        "note.amend",
        "note",
        note_id,
        None,
        {"amendment_id": amendment_id, "changes": dict(changes), "reason": reason},
    )
    return amendment_id
