"""Ask the payer for a prior authorization over 278 (005010X217) and apply its answer.

:func:`request_authorization` works on one requested or pending authorization, in the caller's unit
of work: build the :class:`~otbill.domain.prior_auth.AuthRequest` from the records (the coverage,
its patient and subscriber, the payer, the clinic as requester, the therapist who will treat, the
authorization's codes, visits or units and dates, and the diagnoses of the patient's plan of care,
else of the latest referral); write the 278 and check it against the guide's table (a 278 otbill
wrote that breaks the guide is otbill's bug, refused before sending); send it over the real-time
transport; check the payer's 278 against the guide and read it; then apply it:

- approved, or approved in part: the status moves there with the payer's certification number,
  the approved dates and the visits or units approved;
- denied: the status moves to denied with the reason in words;
- pended (or "call the payer"): the status moves to pending (when it was requested) and a person
  owns the follow-up, due after the payer profile's ``prior_auth_follow_up_days`` (default 5), so
  the authorization work queue lists it with its follow-up date;
- not answered (the payer rejected the request: an AAA) or cancelled: the status stays, and a
  person owns the follow-up the same way.

Every exchange is two entries in the authorization's one channel: the request (kind ``request``,
reference our trace number) and the reply (kind ``reply``, reference the certification number or
the trace, the answer in plain words followed by the payer's 278 as received, after
:data:`RAW_MARK`). Both are audited, and so is the exchange itself (``authorization.278``, with the
decision and the SHA-256 of the reply). A transport failure, a reply that breaks the guide or
cannot be read, or a reply that does not answer our trace raises :class:`PriorAuthError`: the
caller's unit of work rolls back, so nothing is half-written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from otbill import clock
from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.transport import TransportError
from otbill.domain.authorizations import AuthStatus, Entry, EntryKind, overlapping_approval
from otbill.domain.care import Authorization, Coverage
from otbill.domain.lifecycle import Role
from otbill.domain.prior_auth import (
    AuthDecision,
    AuthLine,
    AuthRequest,
    AuthResponse,
    Person,
    Provider,
    icd10_for_x12,
    words,
)
from otbill.domain.record_errors import RecordError
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.services.clinic.setup import require_actor_role
from otbill.services.frontdesk.authorizations import MAX_TEXT, change_status, log_entry
from otbill.storage import UnitOfWork
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_278 import read_278
from otbill.x12.write_278 import RequestEnvelope, write_278

__all__ = [
    "DEFAULT_FOLLOW_UP_DAYS",
    "RAW_MARK",
    "AuthExchange",
    "PriorAuthError",
    "build_request",
    "request_authorization",
]

DEFAULT_FOLLOW_UP_DAYS = 5
# The reply entry's text: the answer in words, then this line, then the payer's 278 as received.
RAW_MARK = "\n\nThe payer's 278 as received:\n"
_ASKABLE = (AuthStatus.REQUESTED, AuthStatus.PENDING)
_CLERKS = (Role.FRONT_DESK, Role.BILLER)
_DECISION_WORDS = {
    AuthDecision.APPROVED: "approved",
    AuthDecision.PARTIALLY_APPROVED: "approved in part",
    AuthDecision.DENIED: "denied",
    AuthDecision.PENDED: "pended: the payer has not decided yet",
    AuthDecision.CANCELLED: "cancelled by the payer",
    AuthDecision.NOT_ANSWERED: "not answered: the payer did not decide on the request",
}


class PriorAuthError(OtbillError):
    """The 278 could not be written or sent, or the payer's answer could not be read (nothing
    was stored)."""


@dataclass(frozen=True, slots=True)
class AuthExchange:
    """What one 278 exchange did to an authorization."""

    authorization_id: int
    trace: str  # our TRN02, the request entry's reference
    decision: str  # an AuthDecision value
    status: str  # the authorization's status afterwards
    certification_number: str
    lines: list[str]  # the answer in plain words
    follow_up_on: dt.date | None = None  # when a person must look again (pended, not answered)
    owner_id: int | None = None

    @property
    def message(self) -> str:
        """One sentence for a flash or a terminal: 'The payer approved authorization A-1: …'."""
        said = _DECISION_WORDS.get(AuthDecision(self.decision), self.decision)
        text = f"The payer's answer (278): {said}"
        if self.certification_number:
            text += f", authorization number {self.certification_number}"
        text += f"; the authorization is now {self.status.replace('-', ' ')}"
        if self.follow_up_on is not None:
            text += f", follow up by {self.follow_up_on.isoformat()}"
        return text + "."


def _follow_up_days(profiles: Mapping[str, PayerProfile] | None, name: str) -> int:
    profile = (profiles or {}).get(name)
    return profile.prior_auth_follow_up_days if profile is not None else DEFAULT_FOLLOW_UP_DAYS


def _subscriber(coverage: Coverage, number: str) -> Person:
    who = coverage.subscriber or {}
    try:
        dob = dt.date.fromisoformat(str(who.get("dob")))
    except ValueError:
        raise RecordError(
            f"authorization {number}: the coverage's subscriber has no date of birth"
        ) from None
    sex = str(who.get("sex", "U"))
    return Person(str(who.get("first_name", "")), str(who.get("last_name", "")), dob,
                  sex if sex in ("F", "M", "U") else "U")  # fmt: skip


def _diagnoses(uow: UnitOfWork, patient_id: int, auth: Authorization) -> tuple[str, ...]:
    """The diagnoses of the plan of care in force at the authorization's start (else the first
    plan starting within it), else of the latest referral; refused when there are none."""
    plans = sorted((p for p, _ in uow.plans.of_patient(patient_id)), key=lambda p: p.start)
    started = [p for p in plans if p.start <= auth.start_date and p.diagnoses]
    within = [p for p in plans if auth.start_date < p.start <= auth.end_date and p.diagnoses]
    if started or within:
        chosen = started[-1] if started else within[0]
        return tuple(icd10_for_x12(code) for code in chosen.diagnoses)
    referrals = sorted(uow.plans.referrals_of(patient_id), key=lambda r: (r.referred_on, r.id))
    for referral in reversed(referrals):
        if referral.diagnoses:
            return tuple(icd10_for_x12(code) for code in referral.diagnoses)
    raise RecordError(
        f"authorization {auth.number}: the patient has no plan of care or referral with a"
        " diagnosis; a 278 request names at least one"
    )


def _treating(
    uow: UnitOfWork, patient_id: int, auth: Authorization, provider_id: int | None
) -> Provider | None:
    """The therapist named, else the one booked first in the dates, else the one who saw the
    patient last on this coverage; None when nobody has."""
    if provider_id is None:
        booked = uow.schedule.between(auth.start_date, auth.end_date, patient_id=patient_id)
        seen = [
            v for v in uow.visits.of_patients([patient_id]) if v.coverage_id == auth.coverage_id
        ]
        if booked:
            provider_id = booked[0].provider_id
        elif seen:
            provider_id = max(seen, key=lambda v: (v.date, v.id)).provider_id
    if provider_id is None:
        return None
    p = uow.providers.get(provider_id)
    return Provider(p.last_name, p.npi, p.first_name, p.taxonomy or "")


def _service_type(treating: Provider | None) -> str:
    """PT for a physical therapist's taxonomy (2251…), else AD (occupational therapy)."""
    return "PT" if treating is not None and treating.taxonomy.startswith("2251") else "AD"


def _asked(uow: UnitOfWork, patient_id: int, auth: Authorization) -> tuple[int | None, int | None]:
    """Visits and units asked: the authorization's, else the visits of the plan of care."""
    visits, units = auth.visits_authorized, auth.units_authorized
    if visits is None and units is None:
        plans = [p for p, _ in uow.plans.of_patient(patient_id) if p.start <= auth.end_date]
        if plans:
            plan = max(plans, key=lambda p: p.start)
            visits = plan.frequency_per_week * plan.duration_weeks or None
    return visits, units


def _codes(uow: UnitOfWork, patient_id: int, auth: Authorization) -> tuple[str, ...]:
    """The authorization's codes; for one that covers every code, the codes of the patient's
    latest visit on its coverage (a 278 asks per procedure); refused when there are none."""
    if auth.codes:
        return auth.codes
    seen = [v for v in uow.visits.of_patients([patient_id]) if v.coverage_id == auth.coverage_id]
    if seen:
        latest = max(seen, key=lambda v: (v.date, v.id))
        codes = tuple(dict.fromkeys(line.code for line in uow.visits.lines(latest.id)))
        if codes:
            return codes
    raise RecordError(
        f"authorization {auth.number} names no procedure code and no visit on its coverage has"
        " one: a 278 asks for each procedure; give the authorization its CPT codes"
    )


def _lines(
    auth: Authorization, codes: tuple[str, ...], visits: int | None, units: int | None
) -> tuple[AuthLine, ...]:
    """One line per code: the visits asked on each when visits are asked (a visit counts under
    each code the authorization names), else the units."""
    if visits is None and units is None:
        raise RecordError(
            f"authorization {auth.number}: say how many visits or units to ask for (visits"
            " authorized, or a plan of care with a frequency and duration)"
        )
    measure, quantity = ("visits", visits) if visits is not None else ("units", units)
    assert quantity is not None
    return tuple(AuthLine(code, quantity, measure) for code in codes)


def build_request(
    uow: UnitOfWork, auth: Authorization, *, trace: str, provider_id: int | None = None
) -> AuthRequest:
    """The 278 request for ``auth``, from the records (RecordError naming a gap)."""
    coverage = uow.patients.coverage(auth.coverage_id)
    patient = uow.patients.get(coverage.patient_id)
    payer = uow.payers.get(coverage.payer_id)
    clinic = uow.providers.billing()
    ein = "".join(ch for ch in clinic.tax_id if ch.isdigit())
    if len(ein) != 9:
        raise RecordError(f"clinic tax ID {clinic.tax_id!r}: a 9-digit EIN is needed for a 278")
    me = Person(patient.first_name, patient.last_name, patient.dob,
                patient.sex if patient.sex in ("F", "M", "U") else "U")  # fmt: skip
    dependent = coverage.relationship != "self"
    treating = _treating(uow, patient.id, auth, provider_id)
    visits, units = _asked(uow, patient.id, auth)
    return AuthRequest(
        trace=trace,
        payer_name=payer.name,
        payer_id=payer.payer_code,
        requester=Provider(clinic.name, clinic.npi, None, clinic.taxonomy or ""),
        subscriber=_subscriber(coverage, auth.number) if dependent else me,
        member_id=coverage.member_id,
        start=auth.start_date,
        end=auth.end_date,
        lines=_lines(auth, _codes(uow, patient.id, auth), visits, units),
        diagnoses=_diagnoses(uow, patient.id, auth),
        service_type=_service_type(treating),
        servicing=treating,
        patient=me if dependent else None,
        relationship=coverage.relationship,
        originator="1" + ein,
    )


def _no_overlap_if_approved(uow: UnitOfWork, auth: Authorization) -> None:
    """Refuse before sending when an approval of what is asked could not be recorded: another
    approval on the coverage already covers these dates and codes."""
    approved = dataclasses.replace(auth, status=AuthStatus.APPROVED.value)
    other = overlapping_approval(approved, uow.authorizations.of(coverage_ids=[auth.coverage_id]))
    if other is not None:
        raise RecordError(
            f"authorization {auth.number} asks for dates that authorization {other.number}"
            f" ({other.status}, {other.start_date:%d %b %Y} to {other.end_date:%d %b %Y}) already"
            " covers on the same coverage: an approval could not be kept; extend that one or"
            " change the dates before asking the payer"
        )


def _send(transport: RealTimeTransport, request: str) -> bytes:
    problems = validate(request.encode(), "278")
    if problems:  # otbill's own 278 must follow the guide; never send a broken one
        raise PriorAuthError(f"the 278 otbill wrote breaks the guide: {problems[0]}")
    try:
        return transport.exchange(request.encode())
    except TransportError as exc:
        raise PriorAuthError(f"the payer could not be asked: {exc}") from exc


def _answer(response: bytes, trace: str) -> AuthResponse:
    try:
        problems = [f for f in validate(response) if f.severity == "error"]
        if problems:
            raise PriorAuthError(f"the payer's 278 does not follow the guide: {problems[0]}")
        read = read_278(response)
    except X12Error as exc:
        raise PriorAuthError(f"the payer's 278 cannot be read: {exc}") from exc
    if read.kind != "response":
        raise PriorAuthError("the payer sent back a 278 request (BHT02 13), not a response (11)")
    answer = read.response_for(trace)
    if answer is None:
        raise PriorAuthError(f"the payer's 278 does not answer our request {trace}")
    return answer


def _asked_words(request: AuthRequest) -> str:
    what = ", ".join(f"{line.procedure_code} × {line.quantity} {line.measure}"
                     for line in request.lines) or "no procedure named"  # fmt: skip
    treating = request.servicing
    who = (", treating " + " ".join(n for n in (treating.first_name, treating.name) if n)
           if treating is not None else "")  # fmt: skip
    return (
        f"278 request sent to {request.payer_name}: {what}, from {request.start.isoformat()} to"
        f" {request.end.isoformat()}, diagnoses {', '.join(request.diagnoses)}{who}"
    )


def _note(answer: AuthResponse, lines: list[str]) -> str:
    """What the status entry says: the decision, the number to quote, and the payer's reasons,
    rejections and messages (the per-procedure detail is in the reply entry)."""
    said = [_DECISION_WORDS[answer.decision]]
    if answer.certification_number:
        said.append(f"authorization number {answer.certification_number}")
    said += [line for line in lines
             if line.startswith(("Reason:", "Rejected:", "Payer's message:", "Payer's reference:"))]  # fmt: skip
    return f"the payer's 278: {'; '.join(said)}"[:MAX_TEXT]


def _granted(answer: AuthResponse) -> tuple[int | None, int | None]:
    """Visits and units approved: the most on any approved line (we ask the same visits on each
    code's line, see :func:`_lines`); None when no approved line gives a count."""
    approved = (AuthDecision.APPROVED, AuthDecision.PARTIALLY_APPROVED)
    counts: dict[str, list[int]] = {"visits": [], "units": []}
    for line in answer.lines:
        if line.quantity is not None and line.decision in approved and line.measure in counts:
            counts[line.measure].append(line.quantity)
    visits, units = counts["visits"], counts["units"]
    return (max(visits) if visits else None), (max(units) if units else None)


def _apply(
    uow: UnitOfWork,
    auth: Authorization,
    answer: AuthResponse,
    said: str,
    owner_id: int | None,
    due_on: dt.date,
) -> tuple[str, dt.date | None]:
    """Move the status as the answer says; returns the new status and the follow-up date set."""
    decision = answer.decision
    if decision in (AuthDecision.APPROVED, AuthDecision.PARTIALLY_APPROVED):
        visits, units = _granted(answer)
        denied = {line.procedure_code for line in answer.lines
                  if line.decision == AuthDecision.DENIED}  # fmt: skip
        codes = [c for c in auth.codes if c not in denied] if auth.codes and denied else None
        target = (AuthStatus.APPROVED if decision == AuthDecision.APPROVED
                  else AuthStatus.PARTIALLY_APPROVED)  # fmt: skip
        change_status(
            uow, auth.id, status=target, number=answer.certification_number or None,
            visits_authorized=visits, units_authorized=units, start=answer.start,
            end=answer.end, codes=codes, note=said,
        )  # fmt: skip
        return target.value, None
    if decision == AuthDecision.DENIED:
        change_status(uow, auth.id, status=AuthStatus.DENIED, note=said)
        return AuthStatus.DENIED.value, None
    if decision == AuthDecision.PENDED and auth.status == AuthStatus.REQUESTED:
        change_status(uow, auth.id, status=AuthStatus.PENDING, owner_id=owner_id, due_on=due_on,
                      note=said)  # fmt: skip
        return AuthStatus.PENDING.value, due_on
    return auth.status, due_on  # pended again, cancelled or not answered: a person follows up


def _reply_entry(
    uow: UnitOfWork,
    auth: Authorization,
    answer: AuthResponse,
    lines: list[str],
    raw: bytes,
    trace: str,
    follow_up: tuple[int | None, dt.date] | None,
) -> int:
    """The reply in the channel: the words, then the raw 278 (longer than a typed entry may be,
    so written here rather than through log_entry, and audited the same way)."""
    text = "\n".join(lines) or "the payer's 278 said nothing we can read"
    text += RAW_MARK + raw.decode("utf-8", "replace")
    reference = (answer.certification_number or answer.reference or trace)[:80]
    owner_id, due_on = follow_up if follow_up is not None else (None, None)
    entry = Entry(0, auth.id, EntryKind.REPLY.value, text, clock.utcnow(), uow.actor_id, reference,
                  owner_id=owner_id, due_on=due_on)  # fmt: skip
    entry_id = uow.authorizations.add_entry(entry)
    uow.audit.record(uow.actor_id, "authorization.log", "authorization", auth.id, None,
                     {"entry_id": entry_id, "kind": EntryKind.REPLY.value, "reference": reference,
                      "owner_id": owner_id,
                      "due_on": due_on.isoformat() if due_on else None})  # fmt: skip
    return entry_id


def request_authorization(
    uow: UnitOfWork,
    authorization_id: int,
    *,
    transport: RealTimeTransport,
    today: dt.date,
    profiles: Mapping[str, PayerProfile] | None = None,
    owner_id: int | None = None,
    provider_id: int | None = None,
) -> AuthExchange:
    """Ask the payer (278) about a requested or pending authorization and apply its answer.

    ``owner_id`` owns a follow-up (default: the user asking); ``provider_id`` names the therapist
    who will treat (default: the one booked first in the dates, else the last one seen)."""
    require_actor_role(uow, *_CLERKS)
    auth = uow.authorizations.get(authorization_id, for_update=True)
    if auth.status not in _ASKABLE:
        raise RecordError(
            f"authorization {auth.number} is {auth.status.replace('-', ' ')}: only a requested"
            " or pending authorization is sent to the payer"
        )
    _no_overlap_if_approved(uow, auth)
    if owner_id is not None:
        uow.users.get(owner_id)
    asked_before = sum(1 for e in uow.authorizations.entries([auth.id])
                       if e.kind == EntryKind.REQUEST and e.reference)  # fmt: skip
    trace = f"OTA{auth.id}-{today:%Y%m%d}-{asked_before + 1}"
    request = build_request(uow, auth, trace=trace, provider_id=provider_id)
    try:
        text = write_278(request, RequestEnvelope(control_number=1 + auth.id % 999_999_999))
    except X12Error as exc:
        raise PriorAuthError(f"authorization {auth.number}: {exc}") from exc
    raw = _send(transport, text)
    answer = _answer(raw, trace)
    lines = words(answer)
    said = _note(answer, lines)
    coverage = uow.patients.coverage(auth.coverage_id)
    days = _follow_up_days(profiles, uow.payers.get(coverage.payer_id).profile)
    owner = owner_id if owner_id is not None else uow.actor_id
    due_on = today + dt.timedelta(days=days)
    log_entry(uow, auth.id, kind=EntryKind.REQUEST, text=_asked_words(request)[:MAX_TEXT],
              reference=trace)  # fmt: skip
    needs_person = answer.decision not in (
        AuthDecision.APPROVED, AuthDecision.PARTIALLY_APPROVED, AuthDecision.DENIED,
    )  # fmt: skip
    _reply_entry(uow, auth, answer, lines, raw, trace, (owner, due_on) if needs_person else None)
    status, follow_up_on = _apply(uow, auth, answer, said, owner, due_on)
    uow.audit.record(uow.actor_id, "authorization.278", "authorization", auth.id,
                     {"status": auth.status},
                     {"status": status, "trace": trace, "decision": answer.decision.value,
                      "certification_number": answer.certification_number,
                      "response_sha256": hashlib.sha256(raw).hexdigest()})  # fmt: skip
    return AuthExchange(auth.id, trace, answer.decision.value, status,
                        answer.certification_number, lines, follow_up_on,
                        owner if follow_up_on else None)  # fmt: skip
