"""270 (005010X279A1) → the :class:`Inquiry` it asks: what a payer (or the simulator) answers.

One inquiry per subscriber loop (2000C), the dependent's (2000D) when there is one: its names, IDs,
birth dates, date of service (DTP*291, the first day of an RD8) and the service types and
procedure codes of its EQs. Dates pass through :mod:`otbill.x12.values`; a date that is not a date
refuses the file naming the element.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from otbill import clock
from otbill.domain.eligibility import Inquiry, Person
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import parse_d8

__all__ = ["Read270", "read_270"]

_RELATIONSHIP = {"01": "spouse", "19": "child"}


@dataclasses.dataclass(frozen=True, slots=True)
class Read270:
    inquiries: list[Inquiry]
    sender_id: str  # ISA06: who to answer
    receiver_id: str  # ISA08
    findings: list[Any]


def _person(seg: Segment) -> Person:
    return Person(seg.el(4), seg.el(3))


def _dmg(seg: Segment, who: Person) -> Person:
    return dataclasses.replace(who, dob=parse_d8(seg, 2), sex=seg.el(3) or "U")


def _freeze(f: dict[str, Any]) -> Inquiry:
    return Inquiry(
        trace=f.get("trace", ""),
        payer_name=f.get("payer_name", ""),
        payer_id=f.get("payer_id", ""),
        provider_name=f.get("provider_name", ""),
        provider_npi=f.get("provider_npi", ""),
        subscriber=f.get("subscriber", Person("", "")),
        member_id=f.get("member_id", ""),
        date_of_service=f.get("date", clock.today()),
        service_types=tuple(f.get("types", ())) or ("30",),
        procedure_codes=tuple(f.get("codes", ())),
        dependent=f.get("dependent"),
        relationship=f.get("relationship", "self"),
        originator=f.get("originator", ""),
    )


def _take(seg: Segment, f: dict[str, Any], level: str) -> None:
    sid, q = seg.id, seg.el(1)
    if sid == "NM1" and q == "PR":
        f.update(payer_name=seg.el(3), payer_id=seg.el(9))
    elif sid == "NM1" and level == "21":
        f.update(provider_name=seg.el(3), provider_npi=seg.el(9))
    elif sid == "NM1" and q == "IL":
        f.update(subscriber=_person(seg), member_id=seg.el(9))
    elif sid == "NM1" and q == "03":
        f.update(dependent=_person(seg), relationship="other")
    elif sid == "TRN":
        f.update(trace=seg.el(2), originator=seg.el(3))
    elif sid == "DMG" and seg.el(2):
        key = "dependent" if level == "23" else "subscriber"
        f[key] = _dmg(seg, f.get(key, Person("", "")))
    elif sid == "INS":
        f["relationship"] = _RELATIONSHIP.get(seg.el(2), "other")
    elif sid == "DTP" and q == "291":
        f["date"] = parse_d8(seg, 3)
    elif sid == "EQ":
        for service_type in (s for s in seg.repeats(1) if s):
            if service_type not in f.setdefault("types", []):
                f["types"].append(service_type)
        parts = seg.components(2)
        if len(parts) > 1 and parts[1] not in f.setdefault("codes", []):
            f["codes"].append(parts[1])


def read_270(source: X12Source) -> Read270:
    """Every inquiry of a 270; raises X12Error for a date it cannot read or a set that is not 270."""
    tracker = EnvelopeTracker(expected_set="270")
    inquiries: list[Inquiry] = []
    shared: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    level = ""
    last = None
    for seg in read_segments(source):
        last = seg
        if seg.id in ENVELOPE_IDS or seg.id == "HL":
            level = seg.el(3) if seg.id == "HL" else ""
            if level == "22" or seg.id in ("SE", "ST"):
                if current is not None:
                    inquiries.append(_freeze(current))
                current = {**shared} if level == "22" else None
            if seg.id != "HL":
                tracker.feed(seg)
        elif current is None:
            _take(seg, shared, level)
        else:
            _take(seg, current, level)
    tracker.finish(last)
    if not inquiries:
        raise X12Error("270: no subscriber loop (HL*…*22) to answer")
    return Read270(inquiries, tracker.sender, tracker.receiver, tracker.findings)
