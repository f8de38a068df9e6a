"""835 (005010X221A1) → :class:`Remittance` records, with the balancing rules checked.

The reader streams: :func:`iter_835` yields each transaction's :class:`PaymentHeader`, then each
:class:`ClaimPayment` as soon as its loop ends, then the PLB :class:`ProviderAdjustment` records, so
a 100,000-claim remittance posts in flat memory. :func:`read_835` gathers them per transaction.

An amount that is not a number refuses the whole file (:class:`X12Error` naming the segment and
element): money read wrongly must never post. Balancing breaks are findings naming the CLP or SVC
and the amounts, per the 835 guide's rules: per line and per claim, charge − paid = the sum of the
adjustments; per payment, BPR02 = the sum of CLP04 − the sum of PLB amounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from otbill.x12.drafts_835 import ClaimDraft, HeaderDraft, ServiceDraft, adjustments
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.remittance import (
    ClaimPayment,
    PaymentHeader,
    ProviderAdjustment,
    Remittance,
)
from otbill.x12.tokens import Segment, X12Source, gc_paused, read_segments
from otbill.x12.values import parse_amount

__all__ = ["Read835", "Remittance835Item", "iter_835", "read_835"]

Remittance835Item = PaymentHeader | ClaimPayment | ProviderAdjustment


@dataclass(frozen=True, slots=True)
class Read835:
    remittances: list[Remittance]
    findings: list[X12Finding]


class _Walker:
    """The loop the reader is in and the running sums for the per-payment balance."""

    def __init__(self, findings: list[X12Finding]) -> None:
        self.findings = findings
        self.header: HeaderDraft | None = None
        self.claim: ClaimDraft | None = None
        self.out: list[Remittance835Item] = []
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "BPR": self.on_bpr, "TRN": self.on_trn, "N1": self.on_n1, "REF": self.on_ref,
            "LX": self.on_lx, "CLP": self.on_clp, "CAS": self.on_cas, "NM1": self.on_nm1,
            "MOA": self.on_moa, "MIA": self.on_mia, "DTM": self.on_dtm, "SVC": self.on_svc,
            "LQ": self.on_lq, "AMT": self.on_amt, "PLB": self.on_plb,
        }  # fmt: skip

    def start(self, seg: Segment) -> None:
        self.header = HeaderDraft(seg.position, seg.el(2))

    def emit_header(self, seg: Segment | None = None) -> HeaderDraft:
        """The current transaction's header, handed out (once) before its first claim."""
        header = self.header
        if header is None:
            raise X12Error(
                "835 data outside a transaction set (no ST before it)",
                position=seg.position if seg else None,
                segment_id=seg.id if seg else "",
            )
        if header.emitted is None:
            header.emitted = header.freeze()
            self.out.append(header.emitted)
        return header

    def close_claim(self) -> None:
        claim, self.claim = self.claim, None
        if claim is not None:
            payment = claim.freeze(self.findings)
            self.emit_header().claims_paid += payment.paid
            self.out.append(payment)

    def finish(self, seg: Segment) -> None:
        self.close_claim()
        header = self.emit_header()
        expected = header.claims_paid - header.plb_total
        if header.total_paid != expected:
            self.findings.append(
                X12Finding(
                    "error",
                    header.bpr_position or header.position,
                    "BPR",
                    "BPR02",
                    f"payment {header.total_paid} ≠ claims paid {header.claims_paid} − provider "
                    f"adjustments {header.plb_total} = {expected} (transaction ending at {seg.position})",
                )
            )
        self.header = None

    def on_bpr(self, seg: Segment) -> None:
        if self.header is not None:
            self.header.read_bpr(seg, self.findings)

    def on_trn(self, seg: Segment) -> None:
        if self.header is not None:
            self.header.trace, self.header.trn_payer = seg.el(2), seg.el(3)

    def on_n1(self, seg: Segment) -> None:
        if self.header is not None:
            self.header.read_n1(seg)

    def on_ref(self, seg: Segment) -> None:
        els = seg.elements
        qualifier, value = (els[1], els[2]) if len(els) > 2 else (seg.el(1), "")
        if self.claim is not None:
            if self.claim.services and qualifier == "6R":
                self.claim.services[-1].control = value
        elif self.header is not None and qualifier == "2U" and self.header.n1 == "PR":
            self.header.payer_id = value

    def on_lx(self, seg: Segment) -> None:
        self.close_claim()

    def on_clp(self, seg: Segment) -> None:
        self.close_claim()
        self.emit_header(seg)
        self.claim = ClaimDraft.from_clp(seg)

    def on_cas(self, seg: Segment) -> None:
        claim = self.claim
        if claim is None:
            self.findings.append(
                X12Finding(
                    "warning",
                    seg.position,
                    "CAS",
                    None,
                    "adjustment outside a claim (no CLP before it)",
                )
            )
            return
        found, total = adjustments(seg)
        claim.adjusted += total
        if claim.services:
            line = claim.services[-1]
            line.adjustments += found
            line.adjusted += total
        else:
            claim.adjustments += found

    def on_nm1(self, seg: Segment) -> None:
        if self.claim is not None and seg.el(1) == "QC":
            name = " ".join(part for part in (seg.el(4), seg.el(3)) if part)
            self.claim.patient_name, self.claim.member_id = name, seg.el(9).strip()

    def on_moa(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks.extend(v for v in seg.elements[3:8] if v)

    def on_mia(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks.extend(seg.el(n) for n in (5, 20, 21, 22, 23) if seg.el(n))

    def on_dtm(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.read_dtm(seg, self.findings)

    def on_svc(self, seg: Segment) -> None:
        if self.claim is None:
            raise X12Error(
                "service line outside a claim (no CLP before it)",
                position=seg.position,
                segment_id="SVC",
            )
        self.claim.services.append(ServiceDraft.from_svc(seg))

    def on_lq(self, seg: Segment) -> None:
        claim, els = self.claim, seg.elements
        if claim is not None and claim.services and len(els) > 2 and els[1] == "HE":
            claim.services[-1].remarks.append(els[2])

    def on_amt(self, seg: Segment) -> None:
        claim, els = self.claim, seg.elements
        if claim is not None and claim.services and len(els) > 2 and els[1] == "B6":
            claim.services[-1].allowed = parse_amount(seg, 2)

    def on_plb(self, seg: Segment) -> None:
        self.close_claim()
        header = self.emit_header(seg)
        for item in HeaderDraft.read_plb(seg, self.findings):
            header.plb_total += item.amount
            self.out.append(item)


def _envelope(walker: _Walker, tracker: EnvelopeTracker, seg: Segment) -> None:
    if seg.id == "SE" and walker.header is not None:
        walker.finish(seg)
    tracker.feed(seg)
    if seg.id == "ST":
        header = tracker.header
        if header is not None and header.version.startswith("004010"):
            raise X12Error(
                f"{header.version} is a 4010 implementation; otbill reads 005010",
                position=seg.position,
                segment_id="ST",
                element="ST03",
            )
        walker.start(seg)


def iter_835(source: X12Source, findings: list[X12Finding]) -> Iterator[Remittance835Item]:
    """Headers, claim payments and provider adjustments of an 835, in file order."""
    tracker = EnvelopeTracker(expected_set="835", findings=findings)
    walker = _Walker(findings)
    handlers = walker.handlers
    last: Segment | None = None
    for seg in read_segments(source):
        last = seg
        handler = handlers.get(seg.id)
        if handler is not None:
            handler(seg)
        elif seg.id in ENVELOPE_IDS:
            _envelope(walker, tracker, seg)
        if walker.out:
            yield from walker.out
            walker.out.clear()
    if walker.header is not None and last is not None:
        walker.finish(last)
        yield from walker.out
    tracker.finish(last)


def read_835(source: X12Source) -> Read835:
    """Every remittance (one per ST) of an 835 file, with the findings."""
    findings: list[X12Finding] = []
    remittances: list[Remittance] = []
    header: PaymentHeader | None = None
    claims: list[ClaimPayment] = []
    plbs: list[ProviderAdjustment] = []
    with gc_paused():
        items = list(iter_835(source, findings))
    for item in items:
        if isinstance(item, PaymentHeader):
            if header is not None:
                remittances.append(Remittance(header, tuple(claims), tuple(plbs)))
            header, claims, plbs = item, [], []
        elif isinstance(item, ClaimPayment):
            claims.append(item)
        else:
            plbs.append(item)
    if header is not None:
        remittances.append(Remittance(header, tuple(claims), tuple(plbs)))
    return Read835(remittances, findings)
