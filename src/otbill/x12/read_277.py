"""277 claim status response (005010X212) → one :class:`StatusAnswer` per claim answered.

The hierarchy mirrors the 276: payer (HL 20) → information receiver (21) → provider (19) →
subscriber (22) → dependent (23). A claim's answer is its 2200D/E loop: TRN*2 echoes our claim
number, then one or more STC (STC01 category:status:entity, STC02 effective date, STC04 charge,
STC05 paid, STC06 finalized date, STC08/09 the check), REF*1K the payer's claim number, REF*EJ the
patient account and DTP*472 the dates of service. Service lines (2220D/E, from SVC) are skipped:
the claim-level status is what a biller acts on. A TRN/STC at the receiver (2200B) or provider
(2200C) level answers the whole request (e.g. E0: error in the request) and is kept with that level.

Every number and date passes through :mod:`otbill.x12.values`: a paid amount that is not an R
number refuses the file naming the element. Structure problems are the guide validator's findings
(:func:`otbill.x12.guide_rules.validate`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.claim_status import ClaimStatus, StatusAnswer
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_amount, optional_d8, parse_d8

__all__ = ["Read277", "read_277"]

_LEVELS = {"21": "receiver", "19": "provider", "22": "claim", "23": "claim"}


@dataclass(frozen=True, slots=True)
class Read277:
    answers: list[StatusAnswer]
    payer_name: str
    findings: list[X12Finding]

    def answer_for(self, trace: str) -> StatusAnswer | None:
        """The claim answer echoing our claim number ``trace``; else a receiver/provider-level
        answer (it speaks for every claim asked), else None."""
        for answer in self.answers:
            if answer.level == "claim" and answer.trace == trace:
                return answer
        whole = [a for a in self.answers if a.level != "claim"]
        return whole[0] if whole else None


@dataclass(slots=True)
class _Open:
    position: int
    level: str
    trace: str
    statuses: list[ClaimStatus] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    in_line: bool = False  # inside a 2220 service line: its STC/REF/DTP are the line's


def _status(seg: Segment) -> ClaimStatus:
    parts = seg.components(1)
    part = [*parts, "", "", ""]
    return ClaimStatus(
        position=seg.position,
        category=part[0],
        code=part[1],
        entity=part[2],
        effective=optional_d8(seg, 2),
        charged=optional_amount(seg, 4),
        paid=optional_amount(seg, 5),
        finalized=optional_d8(seg, 6),
        check_date=optional_d8(seg, 8),
        check_number=seg.el(9),
    )


def _dates(seg: Segment) -> tuple[dt.date, dt.date]:
    first = parse_d8(seg, 3)
    if seg.el(2) != "RD8":
        return first, first
    end = parse_d8(Segment(seg.position, [seg.id, "", "", seg.el(3)[9:]], seg.delimiters), 3)
    return first, end


def _claim_segment(seg: Segment, claim: _Open) -> None:
    if seg.id == "SVC":
        claim.in_line = True
    elif claim.in_line:
        return
    elif seg.id == "STC":
        claim.statuses.append(_status(seg))
    elif seg.id == "REF" and seg.el(1) == "1K":
        claim.extra["payer_claim_number"] = seg.el(2)
    elif seg.id == "REF" and seg.el(1) == "EJ":
        claim.extra["patient_account"] = seg.el(2)
    elif seg.id == "DTP" and seg.el(1) == "472":
        claim.extra["service_from"], claim.extra["service_to"] = _dates(seg)


def _freeze(claim: _Open) -> StatusAnswer:
    return StatusAnswer(claim.position, claim.level, claim.trace, tuple(claim.statuses))


def read_277(source: X12Source) -> Read277:
    """Every claim answer in a 277 file; raises X12Error naming the element of a number or date
    it cannot read, or ST01 when the file is not a 277."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="277", findings=findings)
    answers: list[StatusAnswer] = []
    payer, level = "", ""
    claim: _Open | None = None
    last: Segment | None = None
    for seg in read_segments(source):
        last, sid = seg, seg.id
        if sid in ENVELOPE_IDS or sid in ("HL", "TRN"):
            if claim is not None:
                answers.append(dataclasses.replace(_freeze(claim), **claim.extra))
                claim = None
            if sid == "HL":
                level = _LEVELS.get(seg.el(3), "payer")
            elif sid == "TRN":
                claim = _Open(seg.position, level or "payer", seg.el(2))
            else:
                tracker.feed(seg)
        elif claim is not None:
            _claim_segment(seg, claim)
        elif sid == "NM1" and seg.el(1) == "PR":
            payer = seg.el(3)
    tracker.finish(last)
    return Read277(answers, payer, findings)
