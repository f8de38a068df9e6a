"""Claim status questions → 276 (005010X212): one claim, or a batch of claims in one file.

Layout (TR3 section 2): the payer (2000A/2100A, NM1*PR with its payer id as PI); the information
receiver, the clinic's submitter account (2000B/2100B, NM1*41 with its ETIN as 46); the billing
provider (2000C/2100C, NM1*1P with its NPI as XX); the subscriber (2000D/2100D, NM1*IL with the
member ID as MI) and, when the patient is the subscriber, the claim (2200D: TRN*1 our claim number,
REF*1K the payer's claim number when known, REF*EJ the patient account, AMT*T3 the total charge,
DTP*472 the dates of service). When the patient is a dependent, a 2000E loop (HL 23, DMG, NM1*QC)
carries the claim instead (TR3 1.4.2). Claims to one payer from one provider share their HL 20,
21 and 19 levels. Values that would break the file are refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.claim_status import StatusRequest
from otbill.domain.eligibility import Person
from otbill.x12.envelope import write_interchange
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters
from otbill.x12.writing import (
    CheckedText,
    Elements,
    QuestionEnvelope,
    d8,
    demographics,
    interchange_settings,
    person_name,
)

__all__ = ["VERSION_276", "write_276"]

VERSION_276 = "005010X212"
_CENT = Decimal("0.01")
_text = CheckedText(
    "276", {"name": 60, "first name": 35, "member ID": 80, "claim number": 50, "payer id": 80}
)


@dataclass(slots=True)
class _Hl:
    count: int = 0
    segments: list[Elements] = field(default_factory=list)

    def open(self, parent: str, level: str, children: bool) -> str:
        self.count += 1
        self.segments.append(["HL", str(self.count), parent, level, *(["1" if children else "0"])])
        return str(self.count)


def _person(who: Person, code: str, ids: list[str], d: Delimiters) -> Elements:
    return person_name(who, code, ids, _text, d)


def _claim(req: StatusRequest, d: Delimiters) -> list[Elements]:
    if req.total_charge < 0 or req.total_charge != req.total_charge.quantize(_CENT):
        raise X12Error(f"276: claim {req.trace}: the total charge {req.total_charge} is not money")
    if req.service_to < req.service_from:
        raise X12Error(f"276: claim {req.trace}: the service dates end before they begin")
    out: list[Elements] = [["TRN", "1", _text("claim number", req.trace, d)]]
    if req.payer_claim_number:
        out.append(["REF", "1K", _text("claim number", req.payer_claim_number, d)])
    if req.patient_account:
        out.append(["REF", "EJ", _text("claim number", req.patient_account, d)])
    out.append(["AMT", "T3", f"{req.total_charge:.2f}"])
    begin, end = d8(req.service_from), d8(req.service_to)
    if begin == end:
        out.append(["DTP", "472", "D8", begin])
    else:
        out.append(["DTP", "472", "RD8", f"{begin}-{end}"])
    return out


def _body(
    requests: Sequence[StatusRequest], d: Delimiters, trace: str, env: QuestionEnvelope
) -> list[Elements]:
    created = env.created
    hl = _Hl()
    hl.segments.append(["BHT", "0010", "13", trace, d8(created.date()),
                        created.strftime("%H%M")])  # fmt: skip
    payers: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for req in requests:
        if not (len(req.provider_npi) == 10 and req.provider_npi.isdigit()):
            raise X12Error(
                f"276: claim {req.trace}: the provider NPI {req.provider_npi!r} is not 10 digits"
            )
        key = (req.payer_id, req.receiver_id)
        if key not in payers:
            payer_hl = hl.open("", "20", True)
            hl.segments.append(["NM1", "PR", "2", _text("name", req.payer_name, d), "", "", "", "",
                                "PI", _text("payer id", req.payer_id, d)])  # fmt: skip
            receiver_hl = hl.open(payer_hl, "21", True)
            hl.segments.append(["NM1", "41", "2", _text("name", req.receiver_name, d), "", "", "",
                                "", "46", _text("payer id", req.receiver_id, d)])  # fmt: skip
            payers[key] = (receiver_hl, {})
        receiver_hl, providers = payers[key]
        if req.provider_npi not in providers:
            providers[req.provider_npi] = hl.open(receiver_hl, "19", True)
            hl.segments.append(["NM1", "1P", "2", _text("name", req.provider_name, d), "", "", "",
                                "", "XX", req.provider_npi])  # fmt: skip
        member = ["MI", _text("member ID", req.member_id, d)]
        subscriber_hl = hl.open(providers[req.provider_npi], "22", req.patient is not None)
        if req.patient is None:
            hl.segments += demographics(req.subscriber)
            hl.segments.append(_person(req.subscriber, "IL", member, d))
        else:
            hl.segments.append(_person(req.subscriber, "IL", member, d))
            hl.segments.append(["HL", str(hl.count + 1), subscriber_hl, "23"])
            hl.count += 1
            if req.patient.dob is None:
                raise X12Error(f"276: claim {req.trace}: the patient's birth date is needed (DMG)")
            hl.segments += demographics(req.patient)
            hl.segments.append(_person(req.patient, "QC", [], d))
        hl.segments += _claim(req, d)
    return hl.segments


def write_276(
    requests: Sequence[StatusRequest], envelope: QuestionEnvelope | None = None, trace: str = ""
) -> str:
    """The 276 asking about ``requests`` (one or many); raises :class:`X12Error` naming the claim
    and the value it cannot send."""
    if not requests:
        raise X12Error("276: no claim to ask about")
    env = envelope or QuestionEnvelope()
    d = env.delimiters
    settings = interchange_settings(env, "HR", VERSION_276)
    bht = _text("claim number", trace or requests[0].trace, d)
    return write_interchange(settings, "276", [_body(requests, d, bht, env)])
