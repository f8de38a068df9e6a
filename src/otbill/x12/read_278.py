"""278 (005010X217) → the :class:`AuthResponse` a payer answered, or the :class:`AuthRequest` asked.

BHT02 says which the file is: 11 a response, 13 a request (01, a cancellation, reads as a request).
Both follow one hierarchy (TR3 section 2): the payer (HL 20, NM1*X3) → the requester (HL 21) →
the subscriber (HL 22) → the dependent (HL 23) → each patient event (HL EV: TRN, UM, HCR, dates,
HI, PWK, MSG and the 2010EA providers) → its services (HL SS: DTP*472, SV1, HSD, HCR).

A response event gives the decision (HCR01, in :data:`otbill.domain.prior_auth.ACTIONS`), the
certification number (HCR02: the number to quote on claims; REF*BB is the *previous* review's
number, used when a request revises or extends one), the reason (HCR03), the approved dates
(DTP*007 certification effective; DTP*036 expiration, DTP*102 issue), the payer's reference
(REF*NT) and messages; each service its own HCR and the visits (HSD*VS) or units (SV1 UN)
approved. AAA rejections are kept at the level they come: a payer or requester rejection applies
to the whole file, a subscriber's or dependent's to that person (a response that stops there,
without an event, reads as one "not answered" response with those rejections).

Numbers and dates pass through :mod:`otbill.x12.values`: a count or a date that is not one refuses
the file with an :class:`X12Error` naming the segment and element, as does a file that is not a
278, one whose BHT02 is neither, and a request without the subscriber, the dates or a service.
Structure problems are the guide validator's findings (:func:`otbill.x12.guide_rules.validate`),
which callers run before reading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from otbill.domain.prior_auth import (
    Attachment,
    AuthDecision,
    AuthLine,
    AuthRequest,
    AuthResponse,
    LineDecision,
    Person,
    Provider,
    Rejection,
    decision_of,
)
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_amount, parse_d8

__all__ = ["Read278", "read_278"]

_LEVELS = {"20": "payer", "21": "provider", "22": "subscriber", "23": "dependent",
           "EV": "event", "SS": "service"}  # fmt: skip
_RELATIONSHIP = {"01": "spouse", "19": "child"}


@dataclass(frozen=True, slots=True)
class Read278:
    kind: str  # "request" (BHT02 13 or 01) or "response" (BHT02 11)
    requests: list[AuthRequest]
    responses: list[AuthResponse]
    sender_id: str  # ISA06: who to answer
    receiver_id: str  # ISA08
    findings: list[X12Finding]

    def response_for(self, trace: str) -> AuthResponse | None:
        """The response echoing our TRN ``trace``; the only one when the payer echoed none (a
        rejection above the patient event)."""
        chosen = [r for r in self.responses if r.trace == trace]
        if not chosen and len(self.responses) == 1 and not self.responses[0].trace:
            chosen = self.responses
        return chosen[0] if chosen else None


@dataclass(slots=True)
class _Event:
    fields: dict[str, Any] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _File:
    kind: str = ""
    shared: dict[str, Any] = field(default_factory=dict)  # payer, requester, people
    top: list[Rejection] = field(default_factory=list)  # payer and requester AAAs
    person: list[Rejection] = field(default_factory=list)  # the current person's AAAs
    person_answered: bool = False  # an event came under the current person
    events: list[_Event] = field(default_factory=list)
    orphans: list[list[Rejection]] = field(default_factory=list)  # people rejected, no event
    level: str = ""
    provider_role: str = ""  # NM101 of the last 2010B/2010EA NM1, for the PRV after it


def _date_pair(seg: Segment) -> tuple[dt.date, dt.date | None]:
    """DTP03 as (first, last): a D8 has no last day; an RD8 must be two CCYYMMDD dates."""
    first = parse_d8(seg, 3)
    if seg.el(2) != "RD8":
        return first, None
    text = seg.el(3)
    if len(text) != 17 or text[8] != "-":
        raise X12Error(
            f"{text[:40]!r} is not an RD8 range (CCYYMMDD-CCYYMMDD)",
            position=seg.position,
            segment_id=seg.id,
            element="DTP03",
        )
    last = parse_d8(Segment(seg.position, ["DTP", "", "", text[9:]], seg.delimiters), 3)
    return first, last


def _count(seg: Segment, n: int) -> int | None:
    value = optional_amount(seg, n)
    if value is None:
        return None
    if value != value.to_integral_value() or value < 0 or value > Decimal(10**9):
        raise X12Error(
            f"{seg.el(n)!r} is not a whole count of visits or units",
            position=seg.position,
            segment_id=seg.id,
            element=f"{seg.id}{n:02d}",
        )
    return int(value)


def _provider(seg: Segment) -> Provider:
    first = seg.el(4) if seg.el(2) == "1" else None
    return Provider(seg.el(3), seg.el(9), first)


def _shared(seg: Segment, f: _File) -> None:
    s, sid, q = f.shared, seg.id, seg.el(1)
    if sid == "NM1" and q == "X3":
        s.update(payer_name=seg.el(3), payer_id=seg.el(9))
    elif sid == "NM1" and f.level == "provider":
        s["requester"], f.provider_role = _provider(seg), "requester"
    elif sid == "PRV" and f.provider_role == "requester" and "requester" in s:
        s["requester"] = dataclasses.replace(s["requester"], taxonomy=seg.el(3))
    elif sid == "NM1" and q == "IL":
        s.update(subscriber=Person(seg.el(4), seg.el(3)), member_id=seg.el(9))
    elif sid == "NM1" and q == "QC":
        s.update(patient=Person(seg.el(4), seg.el(3)), relationship="other")
    elif sid == "DMG" and seg.el(2):
        key = "patient" if f.level == "dependent" else "subscriber"
        who = s.get(key, Person("", ""))
        s[key] = dataclasses.replace(who, dob=parse_d8(seg, 2), sex=seg.el(3) or "U")
    elif sid == "INS" and f.level == "dependent":
        s["relationship"] = _RELATIONSHIP.get(seg.el(2), "other")
    elif sid == "AAA":
        rejection = Rejection(f.level or "payer", seg.el(3), seg.el(4), seg.position)
        (f.person if f.level in ("subscriber", "dependent") else f.top).append(rejection)


def _event_segment(seg: Segment, event: _Event, f: _File) -> None:
    e, sid, q = event.fields, seg.id, seg.el(1)
    if sid == "TRN":
        if q == "2" or (q == "1" and f.kind == "request"):
            e.update(trace=seg.el(2), originator=seg.el(3))
        elif q == "1":
            e["payer_trace"] = seg.el(2)
    elif sid == "UM":
        place = seg.components(4)
        e.update(service_type=seg.el(3), certification_type=seg.el(2), place=place[0])
    elif sid == "HCR":
        e.update(action=seg.el(1), certification=seg.el(2), reason=seg.el(3))
    elif sid == "REF" and q == "NT":
        e["reference"] = seg.el(2)
    elif sid == "DTP" and q in ("AAH", "007"):
        e[q] = _date_pair(seg)
    elif sid == "DTP" and q in ("036", "102"):
        e[q] = parse_d8(seg, 3)
    elif sid == "HI":
        for n in range(1, 13):
            parts = seg.components(n)
            if len(parts) > 1 and parts[1]:
                event.diagnoses.append(parts[1])
    elif sid == "PWK":
        event.attachments.append(Attachment(seg.el(1), seg.el(6), seg.el(2)))
    elif sid == "MSG" and seg.el(1):
        event.messages.append(seg.el(1))
    elif sid == "AAA":
        event.rejections.append(Rejection("event", seg.el(3), seg.el(4), seg.position))
    elif sid == "NM1":
        f.provider_role = q
        if q == "SJ":
            e["servicing"] = _provider(seg)
    elif sid == "PRV" and f.provider_role == "SJ" and "servicing" in e:
        e["servicing"] = dataclasses.replace(e["servicing"], taxonomy=seg.el(3))


def _line_segment(seg: Segment, line: dict[str, Any]) -> None:
    sid, q = seg.id, seg.el(1)
    if sid == "SV1":
        parts = seg.components(1)
        line.update(code=parts[1] if len(parts) > 1 else "", modifiers=tuple(parts[2:]))
        units = _count(seg, 4)
        if units is not None and seg.el(3) == "UN" and "quantity" not in line:
            line.update(quantity=units, measure="units")
    elif sid == "HSD" and q == "VS":
        line.update(quantity=_count(seg, 2), measure="visits")
    elif sid == "HCR":
        line.update(action=seg.el(1), certification=seg.el(2), reason=seg.el(3))
    elif sid == "DTP" and q in ("472", "007"):
        line[q] = _date_pair(seg)
    elif sid == "AAA":
        line.setdefault("rejections", []).append(
            Rejection("service", seg.el(3), seg.el(4), seg.position)
        )


def _line_decision(line: dict[str, Any]) -> LineDecision:
    first, last = line.get("007") or line.get("472") or (None, None)
    return LineDecision(
        procedure_code=line.get("code", ""),
        decision=decision_of(line.get("action", "")),
        action=line.get("action", ""),
        quantity=line.get("quantity"),
        measure=line.get("measure", "visits"),
        certification_number=line.get("certification", ""),
        start=first,
        end=last,
        reason=line.get("reason", ""),
    )


def _response(event: _Event, f: _File, person: list[Rejection]) -> AuthResponse:
    e = event.fields
    first, last = e.get("007", (None, None))
    rejections = (*f.top, *person, *event.rejections)
    rejections += tuple(r for line in event.lines for r in line.get("rejections", ()))
    action = e.get("action", "")
    return AuthResponse(
        trace=e.get("trace", ""),
        decision=decision_of(action),
        action=action,
        certification_number=e.get("certification", ""),
        reason=e.get("reason", ""),
        start=first,
        end=last,
        expires=e.get("036"),
        issued=e.get("102"),
        member_id=f.shared.get("member_id", ""),
        payer_name=f.shared.get("payer_name", ""),
        payer_trace=e.get("payer_trace", ""),
        reference=e.get("reference", ""),
        lines=tuple(_line_decision(line) for line in event.lines),
        rejections=rejections,
        messages=tuple(event.messages),
    )


def _missing(what: str, segment_id: str) -> X12Error:
    return X12Error(f"278 request: {what} is missing", segment_id=segment_id)


def _request(event: _Event, f: _File) -> AuthRequest:
    e, s = event.fields, f.shared
    if "subscriber" not in s:
        raise _missing("the subscriber (2010C NM1*IL)", "NM1")
    if "requester" not in s:
        raise _missing("the requester (2010B NM1)", "NM1")
    lines = []
    for line in event.lines:
        if not line.get("code") or line.get("quantity") is None:
            raise _missing("a service's procedure code and visits or units (SV1, HSD)", "SV1")
        lines.append(
            AuthLine(line["code"], line["quantity"], line.get("measure", "visits"),
                     line.get("modifiers", ()))
        )  # fmt: skip
    if not lines:
        raise _missing("a service (2000F HL*…*SS)", "HL")
    dates = e.get("AAH") or next((line["472"] for line in event.lines if "472" in line), None)
    if dates is None or dates[1] is None:
        raise _missing("the dates asked for (DTP*AAH or DTP*472, RD8)", "DTP")
    return AuthRequest(
        trace=e.get("trace", ""),
        payer_name=s.get("payer_name", ""),
        payer_id=s.get("payer_id", ""),
        requester=s["requester"],
        subscriber=s["subscriber"],
        member_id=s.get("member_id", ""),
        start=dates[0],
        end=dates[1],
        lines=tuple(lines),
        diagnoses=tuple(event.diagnoses),
        service_type=e.get("service_type", ""),
        servicing=e.get("servicing"),
        attachments=tuple(event.attachments),
        patient=s.get("patient"),
        relationship=s.get("relationship", "self"),
        originator=e.get("originator", ""),
        certification_type=e.get("certification_type", "I"),
        place_of_service=e.get("place", ""),
    )


def _kind(seg: Segment) -> str:
    code = seg.el(2)
    if code in ("13", "01"):
        return "request"
    if code == "11":
        return "response"
    raise X12Error(
        f"is {code!r}: expected 13 (a request) or 11 (a response)",
        position=seg.position,
        segment_id="BHT",
        element="BHT02",
    )


def _hl(seg: Segment, f: _File) -> _Event | None:
    """Move to the level this HL opens; a new event or service begins its record."""
    f.level = _LEVELS.get(seg.el(3), "")
    f.provider_role = ""
    if f.level in ("subscriber", "dependent"):
        if f.level == "subscriber":
            _close_person(f)
        return None
    if f.level == "event":
        f.person_answered = True
        event = _Event()
        f.events.append(event)
        event.fields["person"] = list(f.person)
        return event
    if f.level == "service":
        if not f.events:
            raise X12Error(
                "a service (HL*…*SS) before any patient event (HL*…*EV)",
                position=seg.position,
                segment_id="HL",
                element="HL03",
            )
        f.events[-1].lines.append({})
        return f.events[-1]
    return None


def _close_person(f: _File) -> None:
    if f.person and not f.person_answered:
        f.orphans.append(list(f.person))
    f.person, f.person_answered = [], False


def read_278(source: X12Source) -> Read278:
    """Every request or response of a 278 file; raises X12Error naming the element of a count or
    date it cannot read, ST01 when the file is not a 278, BHT02 when it is neither kind."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="278", findings=findings)
    f = _File()
    event: _Event | None = None
    last: Segment | None = None
    for seg in read_segments(source):
        last, sid = seg, seg.id
        if sid in ENVELOPE_IDS:
            tracker.feed(seg)
            continue
        if sid == "BHT":
            f.kind = _kind(seg)
        elif sid == "HL":
            event = _hl(seg, f)
        elif event is None:
            _shared(seg, f)
        elif f.level == "service":
            _line_segment(seg, event.lines[-1])
        else:
            _event_segment(seg, event, f)
    tracker.finish(last)
    _close_person(f)
    if not f.kind:
        raise X12Error("no BHT: cannot tell a 278 request from a response", segment_id="BHT")
    requests: list[AuthRequest] = []
    responses: list[AuthResponse] = []
    if f.kind == "request":
        requests = [_request(e, f) for e in f.events]
        if not requests:
            raise _missing("the patient event (2000E HL*…*EV)", "HL")
    else:
        responses = [_response(e, f, e.fields.get("person", [])) for e in f.events]
        for rejected in f.orphans or ([[]] if f.top and not responses else []):
            responses.append(_unanswered(f, rejected))
        if not responses:
            raise X12Error(
                "278 response: neither a patient event (HL*…*EV) nor an AAA rejection",
                segment_id="HL",
            )
    return Read278(f.kind, requests, responses, tracker.sender, tracker.receiver, findings)


def _unanswered(f: _File, person: list[Rejection]) -> AuthResponse:
    return AuthResponse(
        trace="",
        decision=AuthDecision.NOT_ANSWERED,
        member_id=f.shared.get("member_id", ""),
        payer_name=f.shared.get("payer_name", ""),
        rejections=(*f.top, *person),
    )
