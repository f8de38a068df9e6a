"""A simulated payer answering 276 claim status questions with 277s, in-process.

The answer for each claim is chosen by the last digit of its claim number (TRN02, our CLM01), so a
demo or a test picks a scenario by the claim it asks about (a number without a final digit is
mapped by its SHA-256):

==========  =======================================================================================
last digit  answer (STC01 category:status)
==========  =======================================================================================
0, 1        A1:19 received: the payer acknowledges the claim, no decision yet
2, 3        P1:20 pending: accepted for processing, in process
4, 5        F1:65 finalized and paid: 80 % of the charge, paid on the day asked, with a check number
6, 7        F2:88 finalized and denied: included in the allowance for another service, paid 0
8, 9        A4:35 not found: the payer has no such claim on file
==========  =======================================================================================

The 277 mirrors the 276 (TR3 005010X212 section 1.4: the response repeats the request's
hierarchy): the payer, receiver, provider and patient levels are copied, DMG and AMT are dropped
(the 277 carries the charge in STC04), TRN*1 becomes TRN*2 and each claim gets its STC, the
payer's claim number (REF*1K, invented when the 276 had none) and its dates. A 276 that does not
follow the guide is answered by :class:`~otbill.clearinghouse.transport.TransportError` (a real
clearinghouse answers it with a 999, not a 277).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from decimal import Decimal

from otbill import clock
from otbill.clearinghouse.transport import TransportError
from otbill.x12.envelope import ENVELOPE_IDS, InterchangeSettings, write_interchange
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.tokens import Segment, read_segments
from otbill.x12.values import parse_amount

__all__ = ["SCENARIOS", "SimulatedClaimStatusPayer", "answer_276", "scenario_of"]

VERSION = "005010X212"
SCENARIOS = {
    "0": "received", "1": "received", "2": "pending", "3": "pending", "4": "paid", "5": "paid",
    "6": "denied", "7": "denied", "8": "not found", "9": "not found",
}  # fmt: skip
_STC = {"received": "A1:19", "pending": "P1:20", "paid": "F1:65", "denied": "F2:88",
        "not found": "A4:35"}  # fmt: skip
Body = list[list[str]]


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def scenario_of(claim_number: str) -> str:
    """The scenario the simulator answers for ``claim_number`` (see the module's table)."""
    last = claim_number.strip()[-1:]
    key = last if last.isascii() and last.isdigit() else str(_digest(claim_number) % 10)
    return SCENARIOS[key]


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


@dataclass(slots=True)
class _Claim:
    trace: str
    refs: Body = field(default_factory=list)
    charge: Decimal | None = None  # AMT*T3, when the 276 gave it
    dates: list[str] | None = None


def _stc(claim: _Claim, today: dt.date) -> Body:
    scenario = scenario_of(claim.trace)
    code = _STC[scenario].replace(":", "\x00")  # joined with the file's component separator later
    charge = f"{claim.charge:.2f}" if claim.charge is not None else ""
    if scenario == "paid":
        paid = (claim.charge or Decimal(0)) * Decimal("0.8")
        paid = paid.quantize(Decimal("0.01"))
        day = _d8(today)
        return [["STC", code, day, "", charge, f"{paid:.2f}", day, "", day, f"CHK{claim.trace}"]]
    if scenario == "denied":
        return [["STC", code, _d8(today), "", charge, "0.00", _d8(today)]]
    return [["STC", code, _d8(today), "", "" if scenario == "not found" else charge]]


def _claim_segments(claim: _Claim, today: dt.date) -> Body:
    out: Body = [["TRN", "2", claim.trace], *_stc(claim, today)]
    known = any(ref[1] == "1K" for ref in claim.refs)
    if scenario_of(claim.trace) != "not found" and not known:
        out.append(["REF", "1K", f"SIM{_digest(claim.trace) % 10**9:09d}"])
    out += claim.refs
    if claim.dates:
        out.append(claim.dates)
    return out


def _body(segments: list[Segment], today: dt.date, now: dt.datetime) -> Body:
    body: Body = []
    claim: _Claim | None = None

    def flush() -> None:
        nonlocal claim
        if claim is not None:
            body.extend(_claim_segments(claim, today))
            claim = None

    for seg in segments:
        sid = seg.id
        if sid == "BHT":
            body.append(
                ["BHT", "0010", "08", seg.el(3), _d8(now.date()), now.strftime("%H%M"), "DG"]
            )
        elif sid in ("HL", "NM1"):
            flush()
            body.append(list(seg.elements))
        elif sid == "TRN":
            flush()
            claim = _Claim(seg.el(2))
        elif claim is not None and sid == "REF":
            claim.refs.append(list(seg.elements))
        elif claim is not None and sid == "AMT":
            claim.charge = parse_amount(seg, 2)
        elif claim is not None and sid == "DTP":
            claim.dates = list(seg.elements)
        elif sid == "SVC":  # service lines are answered at the claim level only
            flush()
    flush()
    return body


def answer_276(request: bytes, control_number: int = 1, now: dt.datetime | None = None) -> bytes:
    """The 277 interchange answering the 276 ``request``."""
    findings = validate(request, "276")
    if findings:
        raise TransportError(f"the simulated payer refused the 276: {findings[0]}")
    try:
        segments = list(read_segments(request))
        on = now or clock.now()
        sets: list[Body] = []
        current: list[Segment] = []
        isa: Segment | None = None
        for seg in segments:
            if seg.id == "ISA":
                isa = seg
            elif seg.id == "ST":
                current = []
            elif seg.id == "SE":
                sets.append(_body(current, on.date(), on))
            elif seg.id not in ENVELOPE_IDS:
                current.append(seg)
    except X12Error as exc:
        raise TransportError(f"the simulated payer could not read the 276: {exc}") from exc
    settings = InterchangeSettings(
        sender_id=isa.el(8).strip() if isa else "PAYER",
        receiver_id=isa.el(6).strip() if isa else "OTBILL",
        functional_code="HN",
        version=VERSION,
        control_number=control_number,
        created=on,
    )
    component = settings.delimiters.component
    bodies = [[[e.replace("\x00", component) for e in seg] for seg in body] for body in sets]
    return write_interchange(settings, "277", bodies).encode()


@dataclass
class SimulatedClaimStatusPayer:
    """A :class:`~otbill.clearinghouse.realtime.RealTimeTransport` answering 276s in-process.

    ``latency`` seconds are waited per exchange; ``requests`` keeps every 276 received, so tests
    can count them.
    """

    latency: float = 0.0
    requests: list[bytes] = field(default_factory=list)

    def exchange(self, request: bytes) -> bytes:
        self.requests.append(request)
        if self.latency:
            time.sleep(self.latency)
        return answer_276(request, control_number=len(self.requests))
