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
from decimal import Decimal

from otbill.domain.remittance import (
    Adjustment,
    ClaimPayment,
    PaymentHeader,
    ProviderAdjustment,
    Remittance,
)
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.read_835_loops import (
    ClaimDraft,
    HeaderDraft,
    Procedure,
    ServiceDraft,
    new_record,
    procedure,
)
from otbill.x12.tokens import Delimiters, Segment, X12Source, gc_paused, read_segment_lists
from otbill.x12.values import AMOUNTS, amount_at, read_amount

__all__ = ["Read835", "Remittance835Item", "iter_835", "read_835"]

_ZERO = Decimal(0)

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
        self.procedures: dict[str, Procedure] = {}  # SVC01 text → its parts (one component sep.)
        # The segments of loops 2100 and 2110 (CAS, DTM, SVC, REF, AMT, LQ, CLP, NM1) are
        # dispatched by iter_835 itself; these are the rest, handed a Segment.
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "BPR": self.on_bpr, "TRN": self.on_trn, "N1": self.on_n1, "LX": self.on_lx,
            "MOA": self.on_moa, "MIA": self.on_mia, "PLB": self.on_plb,
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

    def on_ref(self, els: list[str]) -> None:
        if len(els) > 2:
            qualifier, value = els[1], els[2]
        else:
            qualifier, value = (els[1] if len(els) > 1 else ""), ""
        if self.claim is not None:
            if self.claim.services and qualifier == "6R":
                self.claim.services[-1].control = value
        elif self.header is not None and qualifier == "2U" and self.header.n1 == "PR":
            self.header.payer_id = value
        elif self.header is not None and qualifier == "TJ" and self.header.n1 == "PE":
            self.header.payee_tax_id = value

    def on_lx(self, seg: Segment) -> None:
        self.close_claim()

    def on_clp(self, seg: Segment) -> None:
        self.close_claim()
        self.emit_header(seg)
        self.claim = ClaimDraft.from_clp(seg)

    def on_cas(self, els: list[str], position: int) -> None:
        claim = self.claim
        if claim is None:
            self.findings.append(
                X12Finding(
                    "warning",
                    position,
                    "CAS",
                    None,
                    "adjustment outside a claim (no CLP before it)",
                )
            )
            return
        size = len(els)
        group = els[1] if size > 1 else ""
        if not group:
            raise X12Error(
                "is empty, expected a group code (CO, PR, OA, PI, CR)",
                position=position,
                segment_id="CAS",
                element="CAS01",
            )
        services = claim.services
        line = services[-1] if services else None
        found = claim.adjustments if line is None else line.adjustments
        amounts = AMOUNTS
        total = _ZERO
        for first in range(2, min(size, 20), 3):  # up to six (reason, amount, quantity) triplets
            reason = els[first]
            text = els[first + 1] if first + 1 < size else ""
            if not reason and not text:
                continue
            amount = amounts.get(text)
            if amount is None:
                amount = read_amount(els, first + 1, position)
            quantity = els[first + 2] if first + 2 < size else ""
            found.append(
                new_record(
                    Adjustment,
                    (
                        group,
                        reason,
                        amount,
                        amount_at(els, first + 2, position) if quantity else None,
                    ),
                )
            )
            total += amount
        claim.adjusted += total
        if line is not None:
            line.adjusted += total

    def on_nm1(self, els: list[str]) -> None:
        size = len(els)
        if self.claim is not None and size > 1 and els[1] == "QC":
            last, first = (els[3] if size > 3 else ""), (els[4] if size > 4 else "")
            name = " ".join(part for part in (first, last) if part)
            self.claim.patient_name = name
            self.claim.member_id = els[9].strip() if size > 9 else ""

    def on_moa(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks.extend(v for v in seg.elements[3:8] if v)

    def on_mia(self, seg: Segment) -> None:
        if self.claim is not None:
            self.claim.remarks.extend(seg.el(n) for n in (5, 20, 21, 22, 23) if seg.el(n))

    def on_dtm(self, els: list[str], position: int) -> None:
        if self.claim is not None:
            self.claim.read_dtm(els, position, self.findings)

    def on_svc(self, els: list[str], position: int, component: str) -> None:
        claim = self.claim
        if claim is None:
            raise X12Error(
                "service line outside a claim (no CLP before it)",
                position=position,
                segment_id="SVC",
            )
        size, amounts = len(els), AMOUNTS
        charge = amounts.get(els[2]) if size > 2 else None
        if charge is None:
            charge = read_amount(els, 2, position)
        paid = amounts.get(els[3]) if size > 3 else None
        if paid is None:
            paid = read_amount(els, 3, position, required=False)
        procedures = self.procedures
        paid_as = procedures.get(els[1])
        if paid_as is None:
            if len(procedures) >= 4096:
                procedures.clear()
            paid_as = procedures[els[1]] = procedure(els[1], component)
        claim.services.append(ServiceDraft(els, position, component, paid_as, charge, paid))

    def on_lq(self, els: list[str]) -> None:
        claim = self.claim
        if claim is not None and claim.services and len(els) > 2 and els[1] == "HE":
            claim.services[-1].remarks.append(els[2])

    def on_amt(self, els: list[str], position: int) -> None:
        claim = self.claim
        if claim is not None and claim.services and len(els) > 2 and els[1] == "B6":
            claim.services[-1].allowed = amount_at(els, 2, position)

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
    handlers, out = walker.handlers, walker.out
    on_cas, on_dtm, on_svc, on_ref = walker.on_cas, walker.on_dtm, walker.on_svc, walker.on_ref
    on_amt, on_lq, on_clp, on_nm1 = walker.on_amt, walker.on_lq, walker.on_clp, walker.on_nm1
    position = 0
    els: list[str] = []
    delimiters = Delimiters()
    for delimiters, batch in read_segment_lists(source):
        for els in batch:  # the hot loop: the 2100/2110 segments by frequency, on bare elements
            position += 1
            sid = els[0]
            if sid == "CAS":
                on_cas(els, position)
            elif sid == "DTM":
                on_dtm(els, position)
            elif sid == "SVC":
                on_svc(els, position, delimiters.component)
            elif sid == "REF":
                on_ref(els)
            elif sid == "AMT":
                on_amt(els, position)
            elif sid == "LQ":
                on_lq(els)
            elif sid == "CLP":
                on_clp(Segment(position, els, delimiters))
            elif sid == "NM1":
                on_nm1(els)
            else:
                seg = Segment(position, els, delimiters)
                handler = handlers.get(sid)
                if handler is not None:
                    handler(seg)
                elif sid in ENVELOPE_IDS:
                    _envelope(walker, tracker, seg)
            if out:
                yield from out
                out.clear()
    last = Segment(position, els, delimiters) if position else None
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
