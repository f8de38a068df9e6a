"""Prior authorization: what a 278 request asks and what a 278 response answers, without X12.

The request (:class:`AuthRequest`) names the payer (the utilization management organization),
the clinic or therapist asking (the requester, with its NPI), the subscriber and, when the patient
is a dependent, the patient; the service type (``AD`` occupational therapy or ``PT`` physical
therapy), the dates the visits fall in, the diagnoses (ICD-10-CM, written without their dot), the
procedure codes with the visits or units asked for each (:class:`AuthLine`), the therapist who will
treat (:class:`Provider`) and the documents sent apart from the file (:class:`Attachment`: a
report type and the control number the document carries, so that the payer can match the fax or
upload to the request).

The response (:class:`AuthResponse`) keeps the payer's decision for the whole request (HCR01 of
the patient event, :class:`AuthDecision`), its certification number (HCR02), the approved dates
and, per procedure line (:class:`LineDecision`), the visits or units approved. A payer that could
not look at the request answers AAA rejections instead (:attr:`AuthResponse.rejections`), with
what to do next.

Codes, from ASC X12N 005010X217 (Health Care Services Review, Request for Review and Response):
HCR01 action codes (:data:`ACTIONS`, element 306 as the guide restricts it) and HCR03 review
decision reasons (:data:`REASONS`, X12 external code list 886). :func:`words` says a response in
sentences a front desk reads to the patient.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from otbill.domain.eligibility import SERVICE_TYPES, Person, Rejection
from otbill.domain.eligibility_codes import reject

__all__ = [
    "ACTIONS",
    "ATTACHMENT_TYPES",
    "REASONS",
    "TRANSMISSIONS",
    "Attachment",
    "AuthDecision",
    "AuthLine",
    "AuthRequest",
    "AuthResponse",
    "LineDecision",
    "Person",
    "Provider",
    "Rejection",
    "decision_of",
    "icd10_for_x12",
    "service_words",
    "words",
]


class AuthDecision(enum.StrEnum):
    """The payer's answer, in the few states a front desk acts on."""

    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially-approved"
    PENDED = "pended"
    DENIED = "denied"
    CANCELLED = "cancelled"
    NOT_ANSWERED = "not-answered"  # AAA rejections, or no HCR at all: nobody decided anything


# HCR01 (005010X217, 2000E and 2000F HCR01) → (plain words, the decision it means)
ACTIONS: dict[str, tuple[str, AuthDecision]] = {
    "A1": ("approved in full (certified in total)", AuthDecision.APPROVED),
    "A2": ("approved in part (certified partially)", AuthDecision.PARTIALLY_APPROVED),
    "A3": ("denied (not certified)", AuthDecision.DENIED),
    "A4": ("pended: the payer needs more time or information", AuthDecision.PENDED),
    "A6": ("approved with changes (modified)", AuthDecision.PARTIALLY_APPROVED),
    "C": ("cancelled", AuthDecision.CANCELLED),
    "CT": ("not decided: call the payer", AuthDecision.PENDED),
    "NA": ("no authorization needed (no action required)", AuthDecision.APPROVED),
}

# HCR03 (X12 external code list 886, Service Review Decision Reason Codes): the ones otbill's
# simulator sends and a therapy payer is likely to send, in our own words. Any other code is shown
# with its number.
REASONS: dict[str, str] = {
    "01": "the price authorization has expired",
    "02": "a price authorization is no longer required",
    "03": "the product is not on the price authorization",
    "04": "more was asked than the plan authorizes",
    "07": "cancelled by the payer's administration",
    "09": "the provider is out of the plan's network",
    "0A": "testing is not included",
    "0B": "sent to an external review organization, which will answer",
    "0C": "authorization or access is restricted",
}

# PWK01 report types a therapy clinic sends with a request (005010X217 2000E/2000F PWK01)
ATTACHMENT_TYPES: dict[str, str] = {
    "03": "report justifying treatment beyond guidelines",
    "06": "initial assessment",
    "07": "functional goals",
    "08": "plan of treatment",
    "09": "progress report",
    "10": "continued treatment",
    "77": "support data for verification",
    "B3": "physician order",
    "OB": "operative note",
    "PN": "therapy notes",
    "PZ": "therapy certification",
}
TRANSMISSIONS = {"AA": "available on request", "BM": "by mail", "EL": "electronically",
                 "EM": "by e-mail", "FT": "by file transfer", "FX": "by fax"}  # fmt: skip


def decision_of(action: str) -> AuthDecision:
    """The decision an HCR01 action code means; an unknown code decides nothing."""
    return ACTIONS[action][1] if action in ACTIONS else AuthDecision.NOT_ANSWERED


def icd10_for_x12(code: str) -> str:
    """An ICD-10-CM code as X12 carries it: upper case, without its dot (``M62.81`` → ``M6281``)."""
    return code.replace(".", "").strip().upper()


@dataclass(frozen=True, slots=True)
class Provider:
    """A clinic (``first_name`` None) or a therapist, with the NPI and, optionally, a taxonomy."""

    name: str  # the organisation's name, or the person's last name
    npi: str
    first_name: str | None = None
    taxonomy: str = ""  # PRV03, e.g. 225X00000X occupational therapist


@dataclass(frozen=True, slots=True)
class AuthLine:
    """One procedure asked for: its CPT/HCPCS code and how many visits or units."""

    procedure_code: str
    quantity: int
    measure: str = "visits"  # "visits" (HSD*VS) or "units" (SV1 UN)
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document sent apart from the 278 (fax, mail, upload), found by its control number."""

    report_type: str  # PWK01, see ATTACHMENT_TYPES
    control_number: str  # PWK06, qualifier AC (attachment control number)
    transmission: str = "FX"  # PWK02, see TRANSMISSIONS


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """One 278 request: authorize these therapy services for this patient in these dates."""

    trace: str  # 2000E TRN02: our reference, echoed back in the response's TRN*2
    payer_name: str
    payer_id: str  # 2010A NM109 (PI)
    requester: Provider  # 2010B NM1*1P (a person or the clinic) with its NPI (XX)
    subscriber: Person
    member_id: str  # 2010C NM109 (MI)
    start: dt.date  # the dates the services fall in (DTP*AAH / DTP*472, RD8)
    end: dt.date
    lines: tuple[AuthLine, ...]
    diagnoses: tuple[str, ...]  # ICD-10-CM, principal first (HI*ABK, then ABF)
    service_type: str = "AD"  # UM03: AD occupational therapy, PT physical therapy
    servicing: Provider | None = None  # 2010EA NM1*SJ, the therapist who will treat
    attachments: tuple[Attachment, ...] = ()
    patient: Person | None = None  # the patient when not the subscriber (2000D, NM1*QC)
    relationship: str = "self"  # self, spouse, child, other
    originator: str = ""  # TRN03: "1" + the clinic's EIN
    certification_type: str = "I"  # UM02: I initial, 4 extension, S revised
    place_of_service: str = "11"  # UM04-1 (qualifier B): 11 office

    @property
    def visits_asked(self) -> int:
        """The visits asked for: one visit counts under each code's line (a visit of 97110 and
        97530 is one visit), so the largest line, not their sum."""
        return max((line.quantity for line in self.lines if line.measure == "visits"), default=0)


@dataclass(frozen=True, slots=True)
class LineDecision:
    """The payer's answer for one procedure line (2000F)."""

    procedure_code: str
    decision: AuthDecision
    action: str  # HCR01
    quantity: int | None = None  # visits or units approved (as asked, when not approved)
    measure: str = "visits"
    certification_number: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    reason: str = ""  # HCR03


@dataclass(frozen=True, slots=True)
class AuthResponse:
    """A 278 response for one patient event (2000E) and its service lines (2000F)."""

    trace: str  # our TRN02 echoed (TRN*2), "" when the payer answered above the event
    decision: AuthDecision
    action: str = ""  # 2000E HCR01 ("" when there is none)
    certification_number: str = ""  # HCR02
    reason: str = ""  # HCR03
    start: dt.date | None = None  # certification effective (DTP*007) or the event dates
    end: dt.date | None = None
    expires: dt.date | None = None  # DTP*036
    issued: dt.date | None = None  # DTP*102
    member_id: str = ""
    payer_name: str = ""
    payer_trace: str = ""  # the payer's own TRN*1, when it sends one
    reference: str = ""  # REF*NT: the payer's administrative reference (quote it when pended)
    lines: tuple[LineDecision, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    messages: tuple[str, ...] = ()  # MSG01 texts: what the payer asks for, in its words

    @property
    def approved_visits(self) -> int | None:
        """Visits approved: the largest approved line that counts visits (each line counts the
        same visits, see :attr:`AuthRequest.visits_asked`); None when no line does."""
        counts = [
            line.quantity
            for line in self.lines
            if line.quantity is not None
            and line.measure == "visits"
            and line.decision in (AuthDecision.APPROVED, AuthDecision.PARTIALLY_APPROVED)
        ]
        return max(counts) if counts else None


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"from {start:%m/%d/%Y} to {end:%m/%d/%Y}"
    if start:
        return f"from {start:%m/%d/%Y}"
    return f"until {end:%m/%d/%Y}" if end else ""


def _action(code: str) -> str:
    return ACTIONS[code][0] if code in ACTIONS else f"payer's action code {code!r} (not known)"


def _reason(code: str) -> str:
    return REASONS.get(code, f"review reason {code} (X12 list 886)")


def words(response: AuthResponse) -> list[str]:
    """The response in sentences: the decision, the number to quote, what was approved, why,
    and what to do when nothing was decided."""
    lines: list[str] = []
    if response.action:
        lines.append(f"Authorization: {_action(response.action)}")
    elif response.decision is AuthDecision.NOT_ANSWERED:
        lines.append("Authorization: the payer did not decide on the request")
    if response.certification_number:
        lines.append(f"Authorization number: {response.certification_number}")
    when = _dates(response.start, response.end)
    if when:
        lines.append(f"Approved dates: {when}")
    if response.expires:
        lines.append(f"Expires on {response.expires:%m/%d/%Y}")
    if response.reason:
        lines.append(f"Reason: {_reason(response.reason)}")
    if response.reference:
        lines.append(f"Payer's reference: {response.reference} (quote it when calling the payer)")
    for line in response.lines:
        text = f"{line.procedure_code}: {_action(line.action)}"
        if line.quantity is not None:
            granted = line.decision in (AuthDecision.APPROVED, AuthDecision.PARTIALLY_APPROVED)
            text += f", {line.quantity} {line.measure} {'approved' if granted else 'asked'}"
        if line.start or line.end:
            text += f" {_dates(line.start, line.end)}"
        if line.reason:
            text += f" ({_reason(line.reason)})"
        lines.append(text)
    for rejection in response.rejections:
        said, fix = reject(rejection.code, rejection.follow_up)
        lines.append(f"Rejected: {said}" + (f"; {fix}" if fix else ""))
    lines += [f"Payer's message: {text}" for text in response.messages]
    return lines


def service_words(service_type: str) -> str:
    """``AD`` → "occupational therapy" (the 270/271 and 278 share the service type codes)."""
    return SERVICE_TYPES.get(service_type, service_type)
