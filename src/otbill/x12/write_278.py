"""A prior authorization request → 278 (005010X217), one request per file, for real-time exchange.

Layout, loop by loop (TR3 section 2, request):

- BHT*0007*13: a request; BHT03 our trace.
- 2000A/2010A, the utilization management organization deciding (the payer): NM1*X3 with its
  payer id (PI).
- 2000B/2010B, the requester: NM1*1P, the clinic (NM102 2) or the therapist (NM102 1) with the
  NPI (XX); PRV*PE with the taxonomy when known.
- 2000C/2010C, the subscriber: NM1*IL with the member ID (MI), DMG. When the patient is a
  dependent, 2000D/2010D carries the patient (NM1*QC, DMG, INS*N with the relationship).
- 2000E, the patient event: TRN*1 (our trace, TRN03 "1" + the clinic's EIN), UM*HS*<UM02>*<service
  type>*<place of service>:B (health services review; UM02 I initial), DTP*AAH the dates asked
  for (RD8), HI the diagnoses (ICD-10-CM without the dot: ABK the principal, ABF the others, at
  most 12), one PWK per attachment (PWK01 report type, PWK02 how it travels, PWK05 AC and PWK06
  the control number the document carries); 2010EA NM1*SJ the therapist who will treat, PRV*PE.
- 2000F, one per procedure: DTP*472 the service dates (RD8), SV1*HC:<code>[:modifiers], with
  SV103 UN and SV104 the units when units are asked, or HSD*VS*<n> when visits are asked.

Everything written is checked against the guide's table (:mod:`otbill.x12.guide_rules`) by the
tests; a value that would break the file (a separator inside a name, an NPI that is not 10 digits,
a date range that ends before it begins) is refused before anything is written, naming it.
"""

from __future__ import annotations

import datetime as dt

from otbill.domain.prior_auth import (
    ATTACHMENT_TYPES,
    TRANSMISSIONS,
    AuthLine,
    AuthRequest,
    Person,
    Provider,
    icd10_for_x12,
)
from otbill.x12.envelope import write_interchange
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters
from otbill.x12.writing import (
    RELATIONSHIP_INS02,
    CheckedText,
    Elements,
    QuestionEnvelope,
    d8,
    demographics,
    interchange_settings,
    person_name,
)

__all__ = ["VERSION_278", "RequestEnvelope", "write_278"]

VERSION_278 = "005010X217"
_text = CheckedText("278", {"name": 60, "first name": 35, "member ID": 80, "trace": 50,
                           "payer id": 80, "procedure code": 48, "control number": 80,
                           "diagnosis": 30})  # fmt: skip
_MAX_DIAGNOSES = 12
RequestEnvelope = QuestionEnvelope


def _npi(who: str, npi: str) -> str:
    if not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        raise X12Error(f"278: the {who}'s NPI {npi!r} is not 10 digits")
    return npi


def _provider(code: str, who: str, provider: Provider, d: Delimiters) -> list[Elements]:
    person = provider.first_name is not None
    first = _text("first name", provider.first_name or "", d, required=False)
    name = ["NM1", code, "1" if person else "2", _text("name", provider.name, d), first]
    segments = [[*name, "", "", "", "XX", _npi(who, provider.npi)]]
    if provider.taxonomy:
        segments.append(["PRV", "PE", "PXC", _text("taxonomy", provider.taxonomy, d)])
    return segments


def _person(who: Person, code: str, ids: list[str], d: Delimiters) -> list[Elements]:
    return [person_name(who, code, ids, _text, d), *demographics(who)]


def _range(request: AuthRequest) -> str:
    if request.end < request.start:
        raise X12Error(f"278: the dates asked for end ({request.end}) before they begin")
    return f"{d8(request.start)}-{d8(request.end)}"


def _diagnoses(request: AuthRequest, d: Delimiters) -> Elements:
    codes = [icd10_for_x12(code) for code in request.diagnoses]
    if not codes:
        raise X12Error("278: no diagnosis: a review request needs the principal diagnosis (HI)")
    if len(codes) > _MAX_DIAGNOSES:
        raise X12Error(f"278: {len(codes)} diagnoses, the HI segment holds at most 12")
    hi = ["HI"]
    for n, code in enumerate(codes):
        hi.append(f"{'ABK' if n == 0 else 'ABF'}{d.component}{_text('diagnosis', code, d)}")
    return hi


def _attachments(request: AuthRequest, d: Delimiters) -> list[Elements]:
    if len(request.attachments) > 10:
        raise X12Error(f"278: {len(request.attachments)} attachments, at most 10 (PWK)")
    segments = []
    for a in request.attachments:
        if a.report_type not in ATTACHMENT_TYPES:
            raise X12Error(f"278: attachment report type {a.report_type!r} is not one otbill sends")
        if a.transmission not in TRANSMISSIONS:
            raise X12Error(f"278: attachment transmission {a.transmission!r} is not a PWK02 code")
        control = _text("control number", a.control_number, d)
        segments.append(["PWK", a.report_type, a.transmission, "", "", "AC", control])
    return segments


def _um(request: AuthRequest, d: Delimiters) -> Elements:
    service = _text("service type", request.service_type, d)
    place = _text("place of service", request.place_of_service, d)
    return ["UM", "HS", request.certification_type, service, f"{place}{d.component}B"]


def _service(line: AuthLine, parent: int, number: int, dates: str, d: Delimiters) -> list[Elements]:
    if line.quantity <= 0:
        raise X12Error(f"278: {line.procedure_code}: {line.quantity} {line.measure} asked")
    if line.measure not in ("visits", "units"):
        raise X12Error(f"278: {line.procedure_code}: measure {line.measure!r} is not visits/units")
    code = _text("procedure code", line.procedure_code, d)
    composite = d.component.join(["HC", code, *(_text("modifier", m, d) for m in line.modifiers)])
    out: list[Elements] = [
        ["HL", str(number), str(parent), "SS", "0"],
        ["DTP", "472", "RD8", dates],
    ]
    if line.measure == "units":
        out.append(["SV1", composite, "", "UN", str(line.quantity)])
    else:
        out += [["SV1", composite], ["HSD", "VS", str(line.quantity)]]
    return out


def _body(request: AuthRequest, d: Delimiters, created: dt.datetime) -> list[Elements]:
    trace = _text("trace", request.trace, d)
    if not (len(request.originator) == 10 and request.originator.isascii()):
        raise X12Error(f"278: TRN03 {request.originator!r}: needs '1' and the clinic's 9-digit EIN")
    if not request.lines:
        raise X12Error("278: no procedure to ask for (a 2000F service loop each)")
    if request.certification_type not in ("I", "4", "S"):
        raise X12Error(f"278: UM02 {request.certification_type!r}: expected I, 4 or S")
    dates = _range(request)
    dependent = request.patient if request.relationship != "self" else None
    body: list[Elements] = [
        ["BHT", "0007", "13", trace, d8(created.date()), created.strftime("%H%M")],
        ["HL", "1", "", "20", "1"],
        ["NM1", "X3", "2", _text("name", request.payer_name, d), "", "", "", "", "PI",
         _text("payer id", request.payer_id, d)],
        ["HL", "2", "1", "21", "1"],
        *_provider("1P", "requester", request.requester, d),
        ["HL", "3", "2", "22", "1"],
        *_person(request.subscriber, "IL", ["MI", _text("member ID", request.member_id, d)], d),
    ]  # fmt: skip
    parent = 3
    if dependent is not None:
        body.append(["HL", "4", "3", "23", "1"])
        body += _person(dependent, "QC", [], d)
        body.append(["INS", "N", RELATIONSHIP_INS02.get(request.relationship, "G8")])
        parent = 4
    event = parent + 1
    body += [
        ["HL", str(event), str(parent), "EV", "1"],
        ["TRN", "1", trace, request.originator],
        _um(request, d),
        ["DTP", "AAH", "RD8", dates],
        _diagnoses(request, d),
        *_attachments(request, d),
    ]
    if request.servicing is not None:
        body += _provider("SJ", "servicing provider", request.servicing, d)
    for n, line in enumerate(request.lines, start=event + 1):
        body += _service(line, event, n, dates, d)
    return body


def write_278(request: AuthRequest, envelope: RequestEnvelope | None = None) -> str:
    """The 278 text asking ``request``; raises :class:`X12Error` naming a value it cannot send."""
    env = envelope or RequestEnvelope()
    settings = interchange_settings(env, "HI", VERSION_278)
    return write_interchange(settings, "278", [_body(request, env.delimiters, env.created)])
