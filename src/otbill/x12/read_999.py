"""999 (005010X231A1) → which transaction sets the receiver accepted, and why not.

Per transaction set (AK2) the reader gives the IK5 status, the IK3 segment errors with their IK4
element errors and CTX context, in plain words; per group (AK1/AK9) the overall status and counts.
A 999 is small, so it is read whole; envelope problems are findings as in every reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from otbill.x12.ack_codes import (
    ACK_STATUS,
    ELEMENT_ERROR,
    SEGMENT_ERROR,
    SET_ERROR,
    describe,
)
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_n0

__all__ = ["ElementError", "GroupAck", "Read999", "SegmentError", "SetAck", "read_999"]


@dataclass(frozen=True, slots=True)
class ElementError:
    position: str  # IK401: element position (and component, "2:1")
    reference: str  # IK402: data element reference number
    code: str  # IK403
    bad_value: str  # IK404
    text: str


@dataclass(frozen=True, slots=True)
class SegmentError:
    segment_id: str  # IK301
    position: str  # IK302: position in the acknowledged set
    loop: str  # IK303
    code: str  # IK304
    text: str
    elements: tuple[ElementError, ...]
    context: tuple[str, ...]  # CTX segments, as text


@dataclass(frozen=True, slots=True)
class SetAck:
    """One acknowledged transaction set (AK2…IK5)."""

    set_id: str  # AK201: 837
    control_number: str  # AK202: our ST02
    version: str  # AK203
    status: str  # IK501
    status_text: str
    set_errors: tuple[str, ...]  # IK502-506, in words
    segment_errors: tuple[SegmentError, ...]

    @property
    def accepted(self) -> bool:
        return self.status in ("A", "E")


@dataclass(frozen=True, slots=True)
class GroupAck:
    """One acknowledged functional group (AK1…AK9)."""

    position: int
    functional_code: str  # AK101
    control_number: str  # AK102: our GS06
    version: str  # AK103
    status: str  # AK901
    status_text: str
    sets_included: int | None  # AK902
    sets_received: int | None  # AK903
    sets_accepted: int | None  # AK904
    sets: tuple[SetAck, ...]


@dataclass(frozen=True, slots=True)
class Read999:
    groups: list[GroupAck]
    findings: list[X12Finding]


@dataclass(slots=True)
class _SetDraft:
    ak2: Segment
    segments: list[tuple[Segment, list[ElementError], list[str]]] = field(default_factory=list)

    def freeze(self, ik5: Segment) -> SetAck:
        errors = tuple(
            SegmentError(
                s.el(1),
                s.el(2),
                s.el(3),
                s.el(4),
                describe(SEGMENT_ERROR, s.el(4), "segment error"),
                tuple(elements),
                tuple(ctx),
            )
            for s, elements, ctx in self.segments
        )
        set_errors = tuple(
            describe(SET_ERROR, ik5.el(n), "error") for n in range(2, 7) if ik5.el(n)
        )
        return SetAck(
            self.ak2.el(1),
            self.ak2.el(2),
            self.ak2.el(3),
            ik5.el(1),
            describe(ACK_STATUS, ik5.el(1), "status"),
            set_errors,
            errors,
        )


def _group(ak1: Segment | None, ak9: Segment, sets: list[SetAck]) -> GroupAck:
    if ak1 is None:
        raise X12Error("AK9 without AK1", position=ak9.position, segment_id="AK9")
    optional_n0(ak1, 2)  # AK102, the group control number (N0): its sender's 837 is found by it
    status = ak9.el(1)
    counts = (optional_n0(ak9, 2), optional_n0(ak9, 3), optional_n0(ak9, 4))
    return GroupAck(ak1.position, ak1.el(1), ak1.el(2), ak1.el(3), status,
                    describe(ACK_STATUS, status, "status"), *counts, tuple(sets))  # fmt: skip


def _body(segments: Iterator[Segment], tracker: EnvelopeTracker) -> Iterator[GroupAck]:
    ak1: Segment | None = None
    draft: _SetDraft | None = None
    sets: list[SetAck] = []
    for seg in segments:
        sid = seg.id
        if sid in ENVELOPE_IDS:
            tracker.feed(seg)
        elif sid == "AK1":
            ak1, sets = seg, []
        elif sid == "AK2":
            draft = _SetDraft(seg)
        elif sid == "IK3" and draft is not None:
            draft.segments.append((seg, [], []))
        elif sid == "IK4" and draft is not None and draft.segments:
            code = seg.el(3)
            draft.segments[-1][1].append(
                ElementError(
                    seg.el(1), seg.el(2), code, seg.el(4), describe(ELEMENT_ERROR, code, "error")
                )
            )
        elif sid == "CTX" and draft is not None and draft.segments:
            draft.segments[-1][2].append(seg.delimiters.element.join(seg.elements[1:]))
        elif sid == "IK5" and draft is not None:
            sets.append(draft.freeze(seg))
            draft = None
        elif sid == "AK9":
            yield _group(ak1, seg, sets)
            ak1 = None


def read_999(source: X12Source) -> Read999:
    """Every acknowledged group of a 999 file, with the findings."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="999", findings=findings)
    last: list[Segment] = []

    def remember(segments: Iterator[Segment]) -> Iterator[Segment]:
        for seg in segments:
            last[:] = [seg]
            yield seg

    groups = list(_body(remember(read_segments(source)), tracker))
    tracker.finish(last[0] if last else None)
    return Read999(groups, findings)
