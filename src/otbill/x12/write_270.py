"""An eligibility question → 270 (005010X279A1): one inquiry per file, for real-time exchange.

Layout (TR3 section 2): information source, the payer (2000A/2100A, NM1*PR with its payer id);
information receiver, the clinic or therapist asking (2000B/2100B, NM1*1P with the NPI as XX);
subscriber (2000C/2100C, NM1*IL with the member ID as MI, DMG, DTP*291 date of service, one EQ per
service type). When the patient is a dependent without an ID of their own, the subscriber loop
carries the insured and a dependent loop (2000D/2100D, NM1*03) carries the patient, the date and
the EQs (TR3 1.4.2: the dependent loop is used only when the patient is not the subscriber).

When the payer's profile sets ``eligibility_procedure_codes``, each procedure code is asked about in
its own EQ (EQ01 service type, EQ02 ``HC:code``): some payers answer a code's own limits
(authorization, visits) only when asked for it. Everything written is checked against the guide's
table (:mod:`otbill.x12.guide_rules`) by the tests; a value that would break the file (a separator
inside a name, a member ID over 80 characters) is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt

from otbill.domain.eligibility import Inquiry, Person
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

__all__ = ["VERSION_270", "InquiryEnvelope", "write_270"]

VERSION_270 = "005010X279A1"
_text = CheckedText(
    "270", {"name": 60, "first name": 35, "member ID": 80, "trace": 50, "payer id": 80}
)
InquiryEnvelope = QuestionEnvelope


def _person_loop(who: Person, code: str, id_elements: list[str], d: Delimiters) -> list[Elements]:
    return [person_name(who, code, id_elements, _text, d), *demographics(who)]


def _questions(inquiry: Inquiry, d: Delimiters) -> list[Elements]:
    segments: list[Elements] = [["DTP", "291", "D8", d8(inquiry.date_of_service)]]
    for service_type in inquiry.service_types:
        segments.append(["EQ", service_type])
    for code in inquiry.procedure_codes:
        for service_type in inquiry.service_types:
            segments.append(["EQ", service_type, f"HC{d.component}{_text('code', code, d)}"])
    return segments


def _body(inquiry: Inquiry, d: Delimiters, created: dt.datetime) -> list[Elements]:
    trace = _text("trace", inquiry.trace, d)
    if not (len(inquiry.originator) == 10 and inquiry.originator.isascii()):
        raise X12Error(f"270: TRN03 {inquiry.originator!r}: needs '1' and the clinic's 9-digit EIN")
    if not (len(inquiry.provider_npi) == 10 and inquiry.provider_npi.isdigit()):
        raise X12Error(f"270: the provider NPI {inquiry.provider_npi!r} is not 10 digits")
    if not inquiry.service_types:
        raise X12Error("270: no service type to ask about")
    provider_last = _text("name", inquiry.provider_name, d)
    person = inquiry.provider_first_name is not None
    provider = ["NM1", "1P", "1" if person else "2", provider_last]
    provider += [_text("first name", inquiry.provider_first_name or "", d, required=False)]
    provider += ["", "", "", "XX", inquiry.provider_npi]
    dependent = inquiry.dependent if inquiry.relationship != "self" else None
    member = ["MI", _text("member ID", inquiry.member_id, d)]
    body: list[Elements] = [
        ["BHT", "0022", "13", trace, d8(created.date()), created.strftime("%H%M")],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", _text("name", inquiry.payer_name, d), "", "", "", "", "PI",
         _text("payer id", inquiry.payer_id, d)],
        ["HL", "2", "1", "21", "1"],
        provider,
        ["HL", "3", "2", "22", "1" if dependent else "0"],
    ]  # fmt: skip
    trn = ["TRN", "1", trace, inquiry.originator]
    if dependent is None:
        body.append(trn)
        body += _person_loop(inquiry.subscriber, "IL", member, d)
        return body + _questions(inquiry, d)
    body += _person_loop(inquiry.subscriber, "IL", member, d)
    body += [["HL", "4", "3", "23", "0"], trn]
    body += _person_loop(dependent, "03", [], d)
    body.append(["INS", "N", RELATIONSHIP_INS02.get(inquiry.relationship, "G8")])
    return body + _questions(inquiry, d)


def write_270(inquiry: Inquiry, envelope: InquiryEnvelope | None = None) -> str:
    """The 270 text asking ``inquiry``; raises :class:`X12Error` naming a value it cannot send."""
    env = envelope or InquiryEnvelope()
    settings = interchange_settings(env, "HS", VERSION_270)
    return write_interchange(settings, "270", [_body(inquiry, env.delimiters, env.created)])
