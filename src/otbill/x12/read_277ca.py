"""277CA (005010X214) → per claim: accepted into adjudication or rejected, and why, in words.

The 277CA's hierarchy is payer (HL 20) → receiver (21) → billing provider (19) → patient/claim
(PT). Each claim (TRN*2 = our CLM01) carries STC statuses: a category (A1 received, A2 accepted, A3
returned, A6/A7/A8 rejected for missing/invalid/relational information, …), a status code and the
entity it is about. A claim is rejected when any of its statuses is in a rejecting category; the
reason is the category, the status code and the entity in plain words, so a biller can fix it
without a code book. Statuses at the batch or provider level are kept too (``batch_statuses``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.x12.ack_codes import (
    ACCEPT_CATEGORIES,
    CATEGORY,
    ENTITY,
    REJECT_CATEGORIES,
    STATUS,
    describe,
)
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_amount, optional_d8

__all__ = ["ClaimAck", "ClaimStatus", "Read277ca", "read_277ca"]


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    position: int  # of the STC segment
    category: str  # STC01-1 (or STC10-1, STC11-1)
    code: str  # STC01-2
    entity: str  # STC01-3
    date: dt.date | None  # STC02
    action: str  # STC03: WQ accepted, U rejected
    amount: Decimal | None  # STC04

    @property
    def rejected(self) -> bool:
        return self.category in REJECT_CATEGORIES

    @property
    def text(self) -> str:
        words = describe(CATEGORY, self.category, "category")
        detail = describe(STATUS, self.code, "status")
        entity = describe(ENTITY, self.entity, "entity")
        return words + (f": {detail}" if detail else "") + (f" ({entity})" if entity else "")


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """One claim's acknowledgement (loop 2200D)."""

    position: int  # of the HL segment
    patient_control_number: str  # TRN02 = our CLM01
    patient_name: str
    member_id: str
    statuses: tuple[ClaimStatus, ...]
    payer_claim_number: str | None  # REF*1K
    clearinghouse_trace: str | None  # REF*D9
    service_date: dt.date | None  # DTP*472

    @property
    def outcome(self) -> str:
        """accepted, rejected, or unknown (no status in a category this reader knows)."""
        if any(s.rejected for s in self.statuses):
            return "rejected"
        if any(s.category in ACCEPT_CATEGORIES for s in self.statuses):
            return "accepted"
        return "unknown"

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"

    @property
    def reason(self) -> str:
        """Why it was rejected (or what was said about it), in plain words."""
        chosen = [s for s in self.statuses if s.rejected] or list(self.statuses)
        return "; ".join(s.text for s in chosen)


@dataclass(frozen=True, slots=True)
class Read277ca:
    claims: list[ClaimAck]
    batch_statuses: list[ClaimStatus]
    findings: list[X12Finding]


@dataclass(slots=True)
class _Draft:
    position: int
    trn: str = ""
    name: str = ""
    member: str = ""
    statuses: list[ClaimStatus] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    date: dt.date | None = None

    def freeze(self) -> ClaimAck:
        return ClaimAck(
            self.position,
            self.trn,
            self.name,
            self.member,
            tuple(self.statuses),
            self.refs.get("1K"),
            self.refs.get("D9"),
            self.date,
        )


def _date(seg: Segment, n: int, findings: list[X12Finding]) -> dt.date | None:
    try:
        return optional_d8(seg, n)
    except X12Error as exc:
        findings.append(X12Finding("warning", seg.position, seg.id, exc.element, exc.reason))
        return None


def _statuses(seg: Segment, findings: list[X12Finding]) -> Iterator[ClaimStatus]:
    day = _date(seg, 2, findings)
    try:
        amount = optional_amount(seg, 4)
    except X12Error as exc:
        findings.append(X12Finding("warning", seg.position, "STC", "STC04", exc.reason))
        amount = None
    for n in (1, 10, 11):
        if seg.el(n):
            parts = [*seg.components(n), "", ""]
            yield ClaimStatus(seg.position, parts[0], parts[1], parts[2], day, seg.el(3), amount)


def _walk(segments: Iterator[Segment], tracker: EnvelopeTracker, out: Read277ca) -> None:
    draft: _Draft | None = None
    in_line = False
    for seg in segments:
        sid = seg.id
        if sid in ENVELOPE_IDS or sid == "HL":
            if draft is not None:
                out.claims.append(draft.freeze())
            draft, in_line = (_Draft(seg.position) if seg.el(3) == "PT" else None), False
            if sid != "HL":
                tracker.feed(seg)
        elif draft is None:
            if sid == "STC":
                out.batch_statuses.extend(_statuses(seg, out.findings))
        elif sid == "SVC":
            in_line = True  # 2220D service line statuses: kept with the claim's
        elif sid == "NM1" and seg.el(1) == "QC":
            draft.name = " ".join(p for p in (seg.el(4), seg.el(3)) if p)
            draft.member = seg.el(9)
        elif sid == "TRN" and not in_line:
            draft.trn = seg.el(2)
        elif sid == "STC":
            draft.statuses.extend(_statuses(seg, out.findings))
        elif sid == "REF" and not in_line:
            draft.refs.setdefault(seg.el(1), seg.el(2))
        elif sid == "DTP" and seg.el(1) == "472" and draft.date is None:
            draft.date = _date(seg, 3, out.findings)


def read_277ca(source: X12Source) -> Read277ca:
    """Every claim acknowledged in a 277CA file, with batch-level statuses and findings."""
    out = Read277ca([], [], [])
    tracker = EnvelopeTracker(expected_set="277", findings=out.findings)
    last: list[Segment] = []

    def remember(segments: Iterator[Segment]) -> Iterator[Segment]:
        for seg in segments:
            last[:] = [seg]
            yield seg

    _walk(remember(read_segments(source)), tracker, out)
    tracker.finish(last[0] if last else None)
    return out
