"""837P (005010X222A1) → :class:`Claim` records, so the scrubber can check EDI input.

The reader walks the segments once, in flat memory (:func:`iter_837p` yields each claim as soon as
its last line is read), keeping the billing provider (2000A), subscriber and payer (2000B), patient
(2000C) and claim (2300/2400) it is in. The other coverages of a claim billed to the primary
(2320 with SBR01 S or T, its 2330A insured and 2330B payer) are read as ``other_coverages``; their
amounts, other 2320 loops, 2430 and segments the claim model has no field for are skipped.

What the 837 cannot carry is left at the model's defaults: minutes, documentation, history, plan of
care, eligibility. A few fields are derived, and documented here so nobody mistakes them for data:
``patient.id`` is the member ID (the 837 has no practice patient ID); the payer profile comes from
SBR09 (MB → ``medicare``, MC → ``medicaid-example``, anything else → ``commercial-in-network``,
or a caller's ``profile_for``); ``telehealth`` is true for place of service 02 or 10; a REF*G1
prior authorization gets the claim's service dates as its window, since the 837 carries only its
number. A claim that cannot be built (no date of birth, fractional units, frequency code 6, …)
becomes an error finding at its CLM and the next claim is read: one bad claim never stops a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.claim import Claim
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.others_837p import OtherDraft
from otbill.x12.parties_837p import LineDraft, Party, dotted_icd
from otbill.x12.read_837p_claim import ClaimDraft, build_claim
from otbill.x12.tokens import Segment, X12Source, gc_paused, read_segments
from otbill.x12.values import n0_of, parse_amount, parse_d8

__all__ = ["Read837p", "default_profile", "iter_837p", "read_837p"]

_DIAGNOSIS_QUALIFIERS = frozenset({"ABK", "ABF", "BK", "BF"})


def default_profile(filing_indicator: str, payer_id: str) -> str:
    """Payer profile for a claim read from an 837P, from SBR09 (claim filing indicator)."""
    return {"MB": "medicare", "MA": "medicare", "MC": "medicaid-example"}.get(
        filing_indicator, "commercial-in-network"
    )


@dataclass(frozen=True, slots=True)
class Read837p:
    claims: list[Claim]
    findings: list[X12Finding]


@dataclass(slots=True)
class _Walker:
    """The loops the reader is in; ``draft`` is the claim being read."""

    findings: list[X12Finding]
    profile_for: Callable[[str, str], str]
    billing: Party | None = None
    subscriber: Party | None = None
    patient: Party | None = None
    payer: Party | None = None
    filing: str = ""
    relationship: str = ""
    entity: Party | None = None
    draft: ClaimDraft | None = None
    in_cob: bool = False
    taxonomy: str | None = None  # PRV*BI comes before the NM1*85 it describes
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # see build_837p._interned
    done: list[Claim] = field(default_factory=list)

    def warn(self, seg: Segment, element: str | None, message: str) -> None:
        self.findings.append(X12Finding("warning", seg.position, seg.id, element, message))

    def close_claim(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None or self.billing is None:
            return
        claim = build_claim(draft, self, self.findings)
        if claim is not None:
            self.done.append(claim)

    def party(self, seg: Segment) -> Party:
        return Party(seg.position, seg.el(3), seg.el(4), seg.el(9), seg.el(2) == "1")

    def on_hl(self, seg: Segment) -> None:
        self.close_claim()
        level = seg.el(3)
        self.entity = None
        if level == "20":
            self.billing = self.subscriber = self.patient = self.payer = None
            self.taxonomy = None
        elif level == "22":
            self.subscriber = self.patient = self.payer = None
            self.filing = self.relationship = ""
        elif level == "23":
            self.patient = None
        else:
            self.warn(seg, "HL03", f"hierarchical level {level!r} is not 20, 22 or 23")

    def on_nm1(self, seg: Segment) -> None:
        code, party = seg.el(1), self.party(seg)
        self.entity = None
        if self.draft is not None:
            self.claim_nm1(code, party)
            return
        if code == "85":
            party.taxonomy = self.taxonomy
            self.billing = self.entity = party
        elif code == "IL":
            self.subscriber = self.entity = party
        elif code == "QC":
            self.patient = self.entity = party
        elif code == "PR":
            self.payer = self.entity = party
        elif code == "87" and self.billing is not None:
            self.billing.pay_to = self.entity = party

    def claim_nm1(self, code: str, party: Party) -> None:
        draft = self.draft
        assert draft is not None
        if self.in_cob:
            self.other_nm1(code, party)
            return
        if code == "82" and draft.lines:
            draft.lines[-1].rendering_npi = party.ident or None
        elif code == "82":
            draft.rendering = party
        elif code in ("DN", "P3") and not draft.lines:
            draft.referring = party
        elif code == "77" and not draft.lines:
            draft.facility = self.entity = party  # 2310C; its N3/N4 follow

    def other_nm1(self, code: str, party: Party) -> None:
        """2330A (the other insured, with its N3/N4) or 2330B (the other payer)."""
        other = self.draft.others[-1] if self.draft and self.draft.others else None
        if other is None:
            return
        if code == "IL":
            other.insured = self.entity = party
        elif code == "PR":
            other.payer = party

    def on_address(self, seg: Segment) -> None:
        party = self.entity
        if party is None:
            return
        if seg.id == "N3":
            party.line1, party.line2 = seg.el(1), seg.el(2) or None
        else:
            party.city, party.state, party.zip = seg.el(1), seg.el(2), seg.el(3)
            party.address_at = seg.position

    def on_dmg(self, seg: Segment) -> None:
        if self.entity is not None and seg.el(1) == "D8":
            self.entity.dob = parse_d8(seg, 2)
            self.entity.sex = seg.el(3) if seg.el(3) in ("F", "M", "U") else "U"

    def on_ref(self, seg: Segment) -> None:
        qualifier = seg.el(1)
        if self.draft is None:
            if self.entity is not None and qualifier in ("EI", "SY"):
                self.entity.tax_id = seg.el(2).replace("-", "")
        elif not self.in_cob and not self.draft.lines:
            self.draft.refs.setdefault(qualifier, seg.el(2))

    def on_prv(self, seg: Segment) -> None:
        draft = self.draft
        if (
            seg.el(1) == "PE"
            and draft is not None
            and draft.rendering is not None
            and not draft.lines
        ):
            draft.rendering.taxonomy = seg.el(3) or None  # 2310B PRV*PE follows its NM1*82
            return
        if seg.el(1) == "BI" and self.draft is None:
            self.taxonomy = seg.el(3) or None
            if self.billing is not None:
                self.billing.taxonomy = self.taxonomy

    def on_sbr(self, seg: Segment) -> None:
        if self.draft is not None:
            self.in_cob = True  # 2320: other subscriber information
            self.entity = None
            if seg.el(1) in ("S", "T") and not self.draft.lines:
                self.draft.others.append(OtherDraft(seg.el(1), seg.el(2), seg.el(3), seg.el(9)))
            else:
                self.draft.others.append(OtherDraft("", "", "", ""))  # a loop otbill does not read
            return
        self.filing = seg.el(9)
        self.relationship = seg.el(2)

    def on_pat(self, seg: Segment) -> None:
        self.relationship = seg.el(1)

    def on_clm(self, seg: Segment) -> None:
        self.close_claim()
        self.entity = None
        self.in_cob = False
        pos, _, frequency = ([*seg.components(5), "", "", ""])[:3]
        self.draft = ClaimDraft(seg.position, seg.el(1), parse_amount(seg, 2), pos, frequency)

    def on_hi(self, seg: Segment) -> None:
        if self.draft is None or self.in_cob:
            return
        for n in range(1, len(seg)):
            parts = seg.components(n)
            if parts[0] in _DIAGNOSIS_QUALIFIERS and len(parts) > 1:
                self.draft.diagnoses.append(dotted_icd(parts[1]))

    def on_lx(self, seg: Segment) -> None:
        self.in_cob = False
        self.entity = None

    def on_sv1(self, seg: Segment) -> None:
        if self.draft is None:
            self.warn(seg, None, "service line outside a claim (no CLM before it)")
            return
        parts = seg.components(1)
        if len(parts) < 2 or not parts[1]:
            self.draft.problems.append(
                f"segment {seg.position} SV1 SV101: {seg.el(1)!r} has no procedure code after the "
                f"qualifier (the component separator is {seg.delimiters.component!r})"
            )
        pointers = _pointers(seg)
        self.draft.lines.append(
            LineDraft(
                seg.position,
                parts[1] if len(parts) > 1 else "",
                tuple(p for p in parts[2:6] if p),
                parse_amount(seg, 2),
                parse_amount(seg, 4, required=False),
                seg.el(3),
                pointers or (1,),
            )
        )

    def on_dtp(self, seg: Segment) -> None:
        draft = self.draft
        if draft is not None and draft.lines and seg.el(1) == "472" and not self.in_cob:
            draft.lines[-1].date = parse_d8(seg, 3)

    def on_other_line(self, seg: Segment) -> None:
        if self.draft is not None and seg.id in ("SV2", "SV3"):
            self.draft.problems.append(
                f"segment {seg.position} {seg.id}: not a professional "
                "service line (837I/837D); the 837P reader reads SV1"
            )


def _pointers(seg: Segment) -> tuple[int, ...]:
    """SV107's diagnosis pointers (N0 components); a value that is not one names SV107."""
    return tuple(n0_of(text, seg, 7) for text in seg.components(7) if text)


def _handlers(w: _Walker) -> dict[str, Callable[[Segment], None]]:
    return {
        "HL": w.on_hl, "NM1": w.on_nm1, "N3": w.on_address, "N4": w.on_address,
        "DMG": w.on_dmg, "REF": w.on_ref, "PRV": w.on_prv, "SBR": w.on_sbr, "PAT": w.on_pat,
        "CLM": w.on_clm, "HI": w.on_hi, "LX": w.on_lx, "SV1": w.on_sv1, "DTP": w.on_dtp,
        "SV2": w.on_other_line, "SV3": w.on_other_line,
    }  # fmt: skip


def _check_version(tracker: EnvelopeTracker, seg: Segment) -> None:
    header = tracker.header
    if header is None:
        return
    if header.version.startswith("004010"):
        raise X12Error(
            f"{header.version} is a 4010 implementation; otbill reads 005010 files",
            position=seg.position,
            segment_id="ST",
            element="ST03",
        )
    if not header.version.startswith("005010X222"):
        tracker.findings.append(
            X12Finding(
                "warning",
                seg.position,
                "ST",
                "ST03",
                f"{header.version!r} is not 005010X222A1; read as an 837P",
            )
        )


def iter_837p(
    source: X12Source,
    findings: list[X12Finding],
    profile_for: Callable[[str, str], str] = default_profile,
) -> Iterator[Claim]:
    """Each claim of an 837P as soon as it is read; problems are appended to ``findings``."""
    tracker = EnvelopeTracker(expected_set="837", findings=findings)
    walker = _Walker(findings, profile_for)
    handlers = _handlers(walker)
    last: Segment | None = None
    for seg in read_segments(source):
        last = seg
        if seg.id in ENVELOPE_IDS:
            if seg.id == "SE":
                walker.close_claim()
            tracker.feed(seg)
            if seg.id == "ST":
                _check_version(tracker, seg)
        else:
            handler = handlers.get(seg.id)
            if handler is not None:
                try:
                    handler(seg)
                except X12Error as exc:
                    if walker.draft is None:
                        raise
                    walker.draft.problems.append(str(exc))
        if walker.done:
            yield from walker.done
            walker.done.clear()
    walker.close_claim()
    yield from walker.done
    tracker.finish(last)


def read_837p(
    source: X12Source, profile_for: Callable[[str, str], str] = default_profile
) -> Read837p:
    """All claims of an 837P file, with the findings (envelope, claims that could not be built)."""
    findings: list[X12Finding] = []
    with gc_paused():
        claims = list(iter_837p(source, findings, profile_for))
    return Read837p(claims, findings)
