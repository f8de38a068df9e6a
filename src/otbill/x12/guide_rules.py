"""An implementation-guide validator whose rules are data: one YAML table per transaction.

Why data: the guides (005010X279A1 for 270/271, and the 278/276/277 guides to come) are long lists
of loops, segments, usages, lengths and code lists; reading them as tables keeps each rule next to
its guide section and lets a reviewer compare the table with the guide line by line. pyx12, the
oracle otbill uses for 837P, ships no 5010 maps for these transactions.

A table (``x12/guides/<set>.yaml``) holds:

- ``set``, ``version`` (GS08/ST03) and ``functional_code`` (GS01); a 278 request and its response
  share all three, so they have two tables (``278`` and ``278_response``) and, unless the caller
  names one, the set's BHT02 picks (11 response, else request);
- ``segments``: element rules shared by every use of a segment ID — ``{n: rule}`` where a rule
  has ``req`` (required), ``empty`` (must not be sent here), ``min``/``max`` (length), ``codes`` (allowed values, or the name of a
  list under ``codes:``), ``type`` (``D8``, ``TM``, ``N0``, ``R``) and ``repeats`` (split on the
  repetition separator before checking codes) and ``parts`` (rules for a composite's
  components, numbered from 1: STC01-1 the claim status category);
- ``body``: the loops, in guide order. An item is ``{seg: ID, min, max, when, elements}`` or
  ``{loop: NAME, min, max, body: [...]}``; ``when`` is ``{n: [codes]}``, matched against the
  segment to tell two uses of one ID apart (NM1*PR from NM1*IL), and a loop begins with its first
  item. ``max: 0`` means unbounded (the guide's ">1").

The engine walks the segments between ST and SE with a stack of open loops (the X12 loop rule: a
segment belongs to the innermost open loop that allows it at or after the current place, or begins
a new instance of a loop there; anything else closes loops until one takes it). Every problem is an
:class:`X12Finding` naming the segment position, ID and element, so "refused" always says where.
HL numbering (HL01 counts 1, 2, 3…; HL02 names an earlier HL) and the envelope counts are checked
too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments

__all__ = ["Guide", "check_segments", "guide", "validate"]

_TYPES = {
    "D8": re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])", re.ASCII),
    "RD8": re.compile(r"[0-9]{8}-[0-9]{8}", re.ASCII),
    "TM": re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9][0-9]{0,2})?", re.ASCII),
    "N0": re.compile(r"[0-9]+", re.ASCII),
    "R": re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII),
}


@dataclass(frozen=True, slots=True)
class Item:
    """A segment or a loop in a loop's body."""

    seg: str  # the segment ID; for a loop, the ID of its first segment
    name: str  # the loop's name (2100C) or the segment ID
    min: int
    max: int  # 0: unbounded
    when: Mapping[int, frozenset[str]]
    elements: Mapping[int, Mapping[str, Any]]
    body: tuple[Item, ...] = ()

    @property
    def is_loop(self) -> bool:
        return bool(self.body)

    def matches(self, seg: Segment) -> bool:
        head = self.body[0] if self.body else self
        if seg.id != head.seg:
            return False
        return all(seg.el(n) in codes for n, codes in head.when.items())


@dataclass(frozen=True, slots=True)
class Guide:
    """One transaction's rules, read from its table."""

    set_id: str
    version: str
    functional_code: str
    segments: Mapping[str, Mapping[int, Mapping[str, Any]]]
    codes: Mapping[str, frozenset[str]]
    body: Item


def _codes(value: Any, lists: Mapping[str, frozenset[str]]) -> frozenset[str]:
    if isinstance(value, str):
        return lists[value]
    return frozenset(str(v) for v in value)


def _rules(raw: Mapping[Any, Any] | None, lists: Mapping[str, frozenset[str]]) -> dict[int, Any]:
    rules: dict[int, Any] = {}
    for n, rule in (raw or {}).items():
        rule = dict(rule)
        if "codes" in rule:
            rule["codes"] = _codes(rule["codes"], lists)
        if "parts" in rule:  # a composite's components (STC01-1), numbered from 1 like the guide
            rule["parts"] = _rules(rule["parts"], lists)
        rules[int(n)] = rule
    return rules


def _item(raw: Mapping[str, Any], lists: Mapping[str, frozenset[str]]) -> Item:
    low, high = int(raw.get("min", 0)), int(raw.get("max", 1))
    if "loop" in raw:
        body = tuple(_item(child, lists) for child in raw["body"])
        return Item(body[0].seg, str(raw["loop"]), low, high, {}, {}, body)
    when = {int(n): _codes(v, lists) for n, v in (raw.get("when") or {}).items()}
    seg = str(raw["seg"])
    return Item(seg, seg, low, high, when, _rules(raw.get("elements"), lists))


def load_guide(text: str) -> Guide:
    data = yaml.safe_load(text)
    lists = {name: frozenset(str(c) for c in codes) for name, codes in data["codes"].items()}
    segments = {seg: _rules(rules, lists) for seg, rules in data["segments"].items()}
    body = tuple(_item(raw, lists) for raw in data["body"])
    top = Item("", "transaction", 1, 1, {}, {}, body)
    return Guide(
        str(data["set"]), str(data["version"]), str(data["functional_code"]), segments, lists, top
    )


@functools.cache
def guide(set_id: str) -> Guide:
    """The rules of transaction ``set_id`` (270, 271), from ``x12/guides/<set_id>.yaml``."""
    text = resources.files("otbill.x12").joinpath("guides", f"{set_id}.yaml").read_text("utf-8")
    return load_guide(text)


@dataclass(slots=True)
class _Frame:
    item: Item
    at: int = 0  # index of the body item last matched
    counts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.item.body)


@dataclass(slots=True)
class _Walk:
    guide: Guide
    findings: list[X12Finding] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)
    hl_ids: set[str] = field(default_factory=set)
    last: Segment | None = None

    def error(self, seg: Segment | None, element: str | None, message: str) -> None:
        position, seg_id = (seg.position, seg.id) if seg else (None, "")
        self.findings.append(X12Finding("error", position, seg_id, element, message))

    def close(self, frame: _Frame, seg: Segment | None, upto: int | None = None) -> None:
        """Required items of ``frame`` not seen before index ``upto`` (all, when None)."""
        end = len(frame.item.body) if upto is None else upto
        for index in range(frame.at, end):
            item = frame.item.body[index]
            if item.min and frame.counts[index] < item.min:
                where = f"loop {frame.item.name}" if frame.item.name != "transaction" else "the set"
                what = f"loop {item.name}" if item.is_loop else item.name
                self.error(seg, None, f"{what} is required in {where} and is missing before here")

    def take(self, seg: Segment) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            frame = self.stack[depth]
            # a loop's first segment never repeats inside it: seen again, it begins a new instance
            start = max(frame.at, 1) if depth else frame.at
            for index in range(start, len(frame.item.body)):
                item = frame.item.body[index]
                if item.matches(seg):
                    for above in self.stack[depth + 1 :]:
                        self.close(above, seg)
                    del self.stack[depth + 1 :]
                    self.close(frame, seg, index)
                    self.enter(frame, index, seg)
                    return
        names = " > ".join(f.item.name for f in self.stack[1:]) or "the set"
        after = f" after {self.last.id} (segment {self.last.position})" if self.last else ""
        self.error(seg, None, f"{seg.id} is not expected here (in {names}{after})")

    def enter(self, frame: _Frame, index: int, seg: Segment) -> None:
        item = frame.item.body[index]
        frame.at = index
        frame.counts[index] += 1
        if item.max and frame.counts[index] > item.max:
            what = f"loop {item.name}" if item.is_loop else item.name
            self.error(seg, None, f"{what} appears more than {item.max} time(s) here")
        if item.is_loop:
            inner = _Frame(item)
            self.stack.append(inner)
            self.enter(inner, 0, seg)
            return
        self.elements(seg, item)

    def elements(self, seg: Segment, item: Item) -> None:
        shared = self.guide.segments.get(seg.id, {})
        rules = {**shared, **{n: {**shared.get(n, {}), **r} for n, r in item.elements.items()}}
        for n, rule in sorted(rules.items()):
            _element(self, seg, n, rule)
        if seg.id == "HL":
            self.hl(seg)

    def hl(self, seg: Segment) -> None:
        expected = str(len(self.hl_ids) + 1)
        if seg.el(1) != expected:
            self.error(seg, "HL01", f"is {seg.el(1)!r}, expected {expected} (HLs count 1, 2, 3…)")
        parent = seg.el(2)
        if parent and parent not in self.hl_ids:
            self.error(seg, "HL02", f"names parent HL {parent!r}, which comes nowhere before it")
        self.hl_ids.add(seg.el(1))


def _element(walk: _Walk, seg: Segment, n: int, rule: Mapping[str, Any]) -> None:
    name = f"{seg.id}{n:02d}"
    value = seg.el(n)
    if not value:
        if rule.get("req"):
            walk.error(seg, name, "is required and is empty")
        return
    if rule.get("empty"):
        walk.error(seg, name, f"must be empty here, is {value[:40]!r}")
        return
    values = seg.repeats(n) if rule.get("repeats") else [value]
    low, high = rule.get("min", 1), rule.get("max")
    for one in values:
        shown = one if len(one) <= 40 else f"{one[:20]}… ({len(one)} characters)"
        if len(one) < low or (high is not None and len(one) > high):
            span = f"{low} to {high}" if high is not None else f"at least {low}"
            walk.error(seg, name, f"{shown!r} is not {span} characters long")
        pattern = _TYPES.get(rule.get("type", ""))
        if pattern is not None and pattern.fullmatch(one) is None:
            walk.error(seg, name, f"{shown!r} is not of type {rule['type']}")
        codes = rule.get("codes")
        if codes is not None and one not in codes:
            walk.error(seg, name, f"{shown!r} is not one of the guide's codes for {name}")
    for k, part in sorted(rule.get("parts", {}).items()):
        parts = seg.components(n)
        piece = parts[k - 1] if k <= len(parts) else ""
        if part.get("req") and not piece:
            walk.error(seg, f"{name}-{k}", "is required and is empty")
        elif piece and "codes" in part and piece not in part["codes"]:
            walk.error(seg, f"{name}-{k}", f"{piece[:40]!r} is not one of the guide's codes")


def check_segments(segments: Iterable[Segment], expected: Guide | None = None) -> list[X12Finding]:
    """Every finding on a 270 or 271 interchange; the set's guide is taken from ST01 if not given."""
    tracker = EnvelopeTracker()
    walk: _Walk | None = None
    last: Segment | None = None
    gs: Segment | None = None
    for seg in segments:
        last = seg
        if seg.id in ENVELOPE_IDS:
            tracker.feed(seg)
            gs = seg if seg.id == "GS" else gs
            walk = _envelope(seg, walk, expected, tracker, gs)
            continue
        if walk is not None and expected is None and walk.last is None and seg.id == "BHT":
            _pick_278(walk, seg)
        if walk is None:
            tracker.findings.append(
                X12Finding("error", seg.position, seg.id, None, f"{seg.id} outside an ST…SE set")
            )
            continue
        walk.take(seg)
        walk.last = seg
    if walk is not None:
        _finish(walk, last)
    tracker.finish(last)
    found = tracker.findings + (walk.findings if walk else [])
    return sorted(found, key=lambda f: f.position or 0)


def _envelope(
    seg: Segment,
    walk: _Walk | None,
    expected: Guide | None,
    tracker: EnvelopeTracker,
    gs: Segment | None,
) -> _Walk | None:
    if seg.id == "ST":
        rules = expected or _guide_for(seg)
        if seg.el(1) != rules.set_id:
            tracker.findings.append(
                X12Finding("error", seg.position, "ST", "ST01",
                           f"is {seg.el(1)!r}, expected {rules.set_id!r}")
            )  # fmt: skip
        if gs is not None and gs.el(1) != rules.functional_code:
            tracker.findings.append(
                X12Finding(
                    "error", gs.position, "GS", "GS01",
                    f"is {gs.el(1)!r}, expected {rules.functional_code!r} for a {rules.set_id}",
                )
            )  # fmt: skip
        version = seg.el(3) or tracker.gs_version
        if version != rules.version or tracker.gs_version != rules.version:
            shown = version if version != rules.version else tracker.gs_version
            element = "ST03" if version != rules.version else "GS08"
            tracker.findings.append(
                X12Finding(
                    "error", seg.position, "ST", element,
                    f"version {shown!r}, expected {rules.version!r}",
                )
            )  # fmt: skip
        fresh = _Walk(rules)
        fresh.stack.append(_Frame(rules.body))
        return fresh
    if seg.id == "SE" and walk is not None:
        _finish(walk, seg)
        tracker.findings.extend(walk.findings)
        return None
    return walk


def _guide_for(seg: Segment) -> Guide:
    if seg.el(1) not in ("270", "271", "276", "277", "278"):
        raise X12Error(
            f"is {seg.el(1)!r}, expected '270', '271', '276', '277' or '278'",
            position=seg.position,
            segment_id="ST",
            element="ST01",
        )
    return guide(seg.el(1))


def _pick_278(walk: _Walk, bht: Segment) -> None:
    """A 278 request and its response share ST01 and the version: BHT02 tells them apart (11 a
    response, the ``278_response`` table; anything else is checked as a request, ``278``)."""
    if walk.guide.set_id != "278":
        return
    chosen = guide("278_response" if bht.el(2) == "11" else "278")
    walk.guide = chosen
    walk.stack[:] = [_Frame(chosen.body)]


def _finish(walk: _Walk, at: Segment | None) -> None:
    for frame in reversed(walk.stack):
        walk.close(frame, at)
    walk.stack.clear()


def validate(source: X12Source, set_id: str | None = None) -> list[X12Finding]:
    """The findings on a 270/271 file (an empty list: it follows the guide's tables)."""
    return check_segments(read_segments(source), guide(set_id) if set_id else None)
