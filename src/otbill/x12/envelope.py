"""Interchange envelopes: ISA/GS/ST…SE/GE/IEA checked on read, produced on write.

Reading: :class:`EnvelopeTracker` is fed only the envelope segments (readers dispatch them to it)
and reports, as findings, every control number or count that disagrees with its header — naming the
trailer's position, ID and element and the value expected. Segment counts are computed from segment
positions (SE position − ST position + 1), so the tracker costs nothing per body segment.

Writing: :func:`write_interchange` wraps transaction bodies in ST/SE, GS/GE and ISA/IEA with the
counts and control numbers filled in, and pads the fixed-width ISA fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from otbill import clock
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Delimiters, Segment, format_segment

__all__ = [
    "ENVELOPE_IDS",
    "EnvelopeTracker",
    "InterchangeSettings",
    "TransactionHeader",
    "write_interchange",
]

ENVELOPE_IDS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})


@dataclass(frozen=True, slots=True)
class TransactionHeader:
    """The ST of a transaction set and the GS08 version it travels under."""

    position: int
    set_id: str  # ST01: 837, 835, 999, 277
    control_number: str  # ST02
    version: str  # ST03, else GS08


@dataclass(slots=True)
class _Open:
    position: int
    control: str
    children: int = 0


@dataclass(slots=True)
class EnvelopeTracker:
    """Checks envelope nesting, control numbers and counts; collects findings in ``findings``."""

    expected_set: str | None = None
    findings: list[X12Finding] = field(default_factory=list)
    isa: _Open | None = None
    gs: _Open | None = None
    st: _Open | None = None
    gs_version: str = ""
    header: TransactionHeader | None = None
    sender: str = ""
    receiver: str = ""

    def _error(self, seg: Segment, element: str | None, message: str) -> None:
        self.findings.append(X12Finding("error", seg.position, seg.id, element, message))

    def feed(self, seg: Segment) -> None:
        """Handle one envelope segment (ISA, GS, ST, SE, GE or IEA)."""
        getattr(self, "_" + seg.id.lower())(seg)

    def _isa(self, seg: Segment) -> None:
        if self.isa is not None:
            self._error(
                seg, None, f"ISA inside the interchange begun at segment {self.isa.position}"
            )
        if len(seg) != 17:
            self._error(seg, None, f"ISA has {len(seg) - 1} elements, expected 16")
        self.isa = _Open(seg.position, seg.el(13).strip())
        self.sender, self.receiver = seg.el(6).strip(), seg.el(8).strip()

    def _gs(self, seg: Segment) -> None:
        if self.gs is not None:
            self._error(
                seg, None, f"GS before the GE of the group begun at segment {self.gs.position}"
            )
        if self.isa is not None:
            self.isa.children += 1
        self.gs = _Open(seg.position, seg.el(6))
        self.gs_version = seg.el(8)

    def _st(self, seg: Segment) -> None:
        if self.st is not None:
            self._error(
                seg, None, f"ST before the SE of the set begun at segment {self.st.position}"
            )
        if self.expected_set and seg.el(1) != self.expected_set:
            raise X12Error(
                f"is {seg.el(1)!r}, expected {self.expected_set!r}",
                position=seg.position,
                segment_id="ST",
                element="ST01",
            )
        if self.gs is not None:
            self.gs.children += 1
        self.st = _Open(seg.position, seg.el(2))
        self.header = TransactionHeader(
            seg.position, seg.el(1), seg.el(2), seg.el(3) or self.gs_version
        )

    def _close(self, seg: Segment, opened: _Open | None, count: int | None, name: str) -> None:
        if opened is None:
            self._error(seg, None, f"{seg.id} without a matching {name}")
            return
        if seg.el(2) != opened.control:
            self._error(
                seg,
                f"{seg.id}02",
                f"is {seg.el(2)!r}, expected {opened.control!r} "
                f"(the {name} control number at segment {opened.position})",
            )
        expected = opened.children if count is None else count
        if seg.el(1) != str(expected):
            self._error(seg, f"{seg.id}01", f"is {seg.el(1)!r}, expected {expected}")

    def _se(self, seg: Segment) -> None:
        count = None if self.st is None else seg.position - self.st.position + 1
        self._close(seg, self.st, count, "ST")
        self.st = None

    def _ge(self, seg: Segment) -> None:
        self._close(seg, self.gs, None, "GS")
        self.gs = None

    def _iea(self, seg: Segment) -> None:
        self._close(seg, self.isa, None, "ISA")
        self.isa = None

    def finish(self, last: Segment | None) -> None:
        """At end of file: every opened envelope must have been closed."""
        position, seg_id = (last.position, last.id) if last else (None, "")
        for opened, trailer in ((self.st, "SE"), (self.gs, "GE"), (self.isa, "IEA")):
            if opened is not None:
                self.findings.append(
                    X12Finding(
                        "error",
                        position,
                        seg_id,
                        None,
                        f"the file ends without the {trailer} closing segment {opened.position}",
                    )
                )


@dataclass(frozen=True, slots=True)
class InterchangeSettings:
    """Who sends to whom, and how the ISA/GS are filled (ids are padded/truncated to 15)."""

    sender_id: str
    receiver_id: str
    functional_code: str  # GS01: HC for claims
    version: str  # GS08 and ST03
    control_number: int = 1  # ISA13, GS06
    usage: str = "P"  # ISA15: P production, T test
    created: dt.datetime = field(default_factory=clock.now)  # the run's day (otbill.clock)
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    delimiters: Delimiters = field(default_factory=Delimiters)
    line_breaks: bool = True


def _isa(s: InterchangeSettings) -> str:
    d = s.delimiters
    return format_segment(
        d,
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        s.sender_qualifier,
        f"{s.sender_id:<15.15}",
        s.receiver_qualifier,
        f"{s.receiver_id:<15.15}",
        s.created.strftime("%y%m%d"),
        s.created.strftime("%H%M"),
        d.repetition or "U",
        "00501",
        f"{s.control_number:09d}",
        "0",
        s.usage,
        d.component,
    )


def write_interchange(
    settings: InterchangeSettings, set_id: str, bodies: Iterable[Sequence[Sequence[str]]]
) -> str:
    """One interchange with one functional group holding a transaction set per body.

    A body is the segments between ST and SE, each a sequence of elements beginning with its ID.
    """
    s, d = settings, settings.delimiters
    if not 1 <= s.control_number <= 999_999_999:
        raise X12Error(f"control number {s.control_number} is outside 1..999999999")
    nl = "\n" if s.line_breaks else ""
    out = [
        _isa(s),
        format_segment(
            d,
            "GS",
            s.functional_code,
            s.sender_id,
            s.receiver_id,
            s.created.strftime("%Y%m%d"),
            s.created.strftime("%H%M"),
            str(s.control_number),
            "X",
            s.version,
        ),
    ]
    sets = 0
    for sets, body in enumerate(bodies, start=1):
        control = f"{sets:04d}"
        out.append(format_segment(d, "ST", set_id, control, s.version))
        out.extend(format_segment(d, *elements) for elements in body)
        out.append(format_segment(d, "SE", str(len(body) + 2), control))
    out.append(format_segment(d, "GE", str(sets), str(s.control_number)))
    out.append(format_segment(d, "IEA", "1", f"{s.control_number:09d}"))
    return nl.join(out) + nl
