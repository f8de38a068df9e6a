"""271 (005010X279A1) → one :class:`EligibilityAnswer` per subscriber or dependent answered.

The hierarchy is information source, the payer (HL 20) → information receiver, us (HL 21) →
subscriber (HL 22) → dependent (HL 23). A person's loop (2100C/D) gives the name and member ID
(NM1), birth date (DMG), plan dates (DTP 346/347, or the ranges of 291/307/356) and AAA rejections;
each EB begins a benefit (2110C/D) that gathers its DTP dates, MSG texts (mined for visit limits,
:mod:`otbill.domain.eligibility_limits`) and the names of its 2120 loop (between LS and LE: other
payers, the primary care provider). AAAs of the payer (2000A/2100A) and receiver (2100B) loops are
kept as ``rejections`` of the whole response.

Every number passes through :mod:`otbill.x12.values` (EB07 money, EB08 percent, EB10 quantity):
a value that is not an R number of at most 18 digits refuses the file with the element named, as a
wrong copay must not reach the front desk. Structure problems are the guide validator's findings
(:func:`otbill.x12.guide_rules.validate`), which the service runs before reading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.eligibility import (
    Benefit,
    EligibilityAnswer,
    OtherPayer,
    Rejection,
    TherapyLimit,
)
from otbill.domain.eligibility_codes import MEDICARE_ADVANTAGE
from otbill.domain.eligibility_limits import mine
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_amount, parse_d8

__all__ = ["Read271", "read_271"]

_BEGIN = {"346", "356", "292", "348", "291", "307", "341", "343"}
_END = {"347", "357", "349", "340", "342"}
_LEVELS = {"20": "payer", "21": "provider", "22": "subscriber", "23": "dependent"}


@dataclass(frozen=True, slots=True)
class Read271:
    answers: list[EligibilityAnswer]
    rejections: list[Rejection]  # of the payer or receiver loops: no person was looked up
    payer_name: str
    findings: list[X12Finding]

    def answer_for(self, trace: str) -> EligibilityAnswer | None:
        """The innermost answer (the dependent's, when there is one) echoing our TRN ``trace``."""
        chosen = [a for a in self.answers if a.trace == trace] or (
            self.answers if not trace else []
        )
        return chosen[-1] if chosen else None


@dataclass(slots=True)
class _Person:
    level: str
    fields: dict[str, Any] = field(default_factory=dict)
    benefits: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def _dates(seg: Segment) -> tuple[dt.date | None, dt.date | None]:
    """DTP03 as (begin, end): a D8 is one day, an RD8 a range; which end a D8 is depends on DTP01."""
    first = parse_d8(seg, 3)
    if seg.el(2) == "RD8":
        end_text = seg.el(3)[9:]
        end = parse_d8(Segment(seg.position, [seg.id, "", "", end_text], seg.delimiters), 3)
        return first, end
    qualifier = seg.el(1)
    return (None, first) if qualifier in _END else (first, None)


def _benefit(seg: Segment) -> dict[str, Any]:
    procedure = seg.components(13)
    return {
        "position": seg.position,
        "code": seg.el(1),
        "coverage_level": seg.el(2),
        "service_types": tuple(s for s in seg.repeats(3) if s),
        "insurance_type": seg.el(4),
        "plan": seg.el(5),
        "period": seg.el(6),
        "amount": optional_amount(seg, 7),
        "percent": optional_amount(seg, 8),
        "quantity_qualifier": seg.el(9),
        "quantity": optional_amount(seg, 10),
        "authorization": seg.el(11),
        "network": seg.el(12),
        "procedure": procedure[1] if len(procedure) > 1 else "",
        "messages": [],
        "entities": [],
    }


def _eb_limits(benefit: Benefit) -> list[TherapyLimit]:
    if benefit.code != "F" or benefit.quantity is None or benefit.quantity_qualifier not in (
        "VS", "99"
    ):  # fmt: skip
        return []
    kind = "used" if benefit.quantity_qualifier == "99" else "limit"
    kind = "remaining" if benefit.period in ("29", "33") and kind == "limit" else kind
    where = f"EB at segment {benefit.position}"
    visits = int(benefit.quantity) if benefit.quantity == int(benefit.quantity) else 0
    return [TherapyLimit(visits, kind, benefit.period, benefit.service_types, "EB", where)]


def _other_payers(benefits: Iterable[Benefit]) -> list[OtherPayer]:
    found = []
    for b in benefits:
        if b.code != "R":
            continue
        names = [e for e in b.entities if e[0] in ("PRP", "SEP", "TTP", "PR", "GP")]
        name, ident = (names[0][1], names[0][2]) if names else (b.plan or "another payer", "")
        advantage = b.insurance_type in MEDICARE_ADVANTAGE or "ADVANTAGE" in b.plan.upper()
        found.append(OtherPayer(name, b.insurance_type, ident, b.plan, advantage))
    return found


def _freeze(person: _Person, payer: str) -> EligibilityAnswer:
    benefits = []
    for raw in person.benefits:
        raw = {**raw, "messages": tuple(raw["messages"]), "entities": tuple(raw["entities"])}
        benefits.append(Benefit(**raw))
    limits = [limit for b in benefits for limit in _eb_limits(b)]
    limits += [m for b in benefits for text in b.messages for m in mine(text, b.service_types)]
    f = person.fields
    return EligibilityAnswer(
        trace=f.get("trace", ""),
        payer_name=payer,
        member_id=f.get("member_id", ""),
        first_name=f.get("first_name", ""),
        last_name=f.get("last_name", ""),
        dob=f.get("dob"),
        dependent=person.level == "dependent",
        plan_begin=f.get("plan_begin"),
        plan_end=f.get("plan_end"),
        benefits=tuple(benefits),
        rejections=tuple(person.rejections),
        other_payers=tuple(_other_payers(benefits)),
        limits=tuple(limits),
    )


def _person_segment(seg: Segment, person: _Person) -> None:
    f, sid = person.fields, seg.id
    if sid == "TRN" and (seg.el(1) == "2" or "trace" not in f):
        f["trace"] = seg.el(2)
    elif sid == "NM1" and seg.el(1) in ("IL", "03"):
        f.update(last_name=seg.el(3), first_name=seg.el(4), member_id=seg.el(9) or "")
    elif sid == "DMG" and seg.el(2):
        f["dob"] = parse_d8(seg, 2)
    elif sid == "DTP" and seg.el(1) in _BEGIN | _END and seg.el(3):
        begin, end = _dates(seg)
        if begin is not None:
            f.setdefault("plan_begin", begin)
        if end is not None:
            f.setdefault("plan_end", end)
    elif sid == "AAA":
        person.rejections.append(Rejection(person.level, seg.el(3), seg.el(4), seg.position))


def _benefit_segment(seg: Segment, person: _Person, in_2120: bool) -> None:
    current = person.benefits[-1]
    sid = seg.id
    if sid == "MSG" and seg.el(1):
        current["messages"].append(seg.el(1))
    elif sid == "NM1" and in_2120:
        name = " ".join(p for p in (seg.el(4), seg.el(3)) if p)
        current["entities"].append((seg.el(1), name, seg.el(9)))
    elif sid == "DTP" and seg.el(3):
        begin, end = _dates(seg)
        current["begin"] = begin or current.get("begin")
        current["end"] = end or current.get("end")
    elif sid == "AAA":
        person.rejections.append(Rejection("benefit", seg.el(3), seg.el(4), seg.position))


def read_271(source: X12Source) -> Read271:
    """Every answer in a 271 file; raises X12Error naming the element of a number or date it
    cannot read, or ST01 when the file is not a 271."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="271", findings=findings)
    answers: list[EligibilityAnswer] = []
    top: list[Rejection] = []
    payer = ""
    level, person, in_2120 = "", None, False
    last: Segment | None = None
    for seg in read_segments(source):
        last, sid = seg, seg.id
        if sid in ENVELOPE_IDS or sid == "HL":
            if person is not None:
                answers.append(_freeze(person, payer))
            person, in_2120 = None, False
            if sid == "HL":
                level = _LEVELS.get(seg.el(3), "")
                if level in ("subscriber", "dependent"):
                    person = _Person(level)
            else:
                tracker.feed(seg)
        elif person is None:
            if sid == "NM1" and level == "payer":
                payer = seg.el(3)
            elif sid == "AAA":
                top.append(Rejection(level or "payer", seg.el(3), seg.el(4), seg.position))
        elif sid == "EB":
            person.benefits.append(_benefit(seg))
            in_2120 = False
        elif sid in ("LS", "LE"):
            in_2120 = sid == "LS"
        elif person.benefits:
            _benefit_segment(seg, person, in_2120)
        else:
            _person_segment(seg, person)
    tracker.finish(last)
    answers = [dataclasses.replace(a, payer_name=payer) for a in answers]
    return Read271(answers, top, payer, findings)
