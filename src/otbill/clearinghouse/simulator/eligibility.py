"""A simulated payer answering 270 eligibility inquiries with realistic 271s, in-process.

The answer is chosen by the member ID's last digit, so a demo or a test picks a scenario by the ID
it types (an ID without a digit is mapped by its SHA-256):

==========  =======================================================================================
last digit  answer
==========  =======================================================================================
0, 1, 2     active; OT (AD) and PT benefits: copay, coinsurance, deductible and out-of-pocket
            remaining in and out of network, a visit limit and visits used in EB, authorization
            required after the evaluation
3, 4        active; the therapy visit limit only in MSG text ("OT LIMITED TO 20 VISITS PER
            CALENDAR YEAR"); Medicare Advantage named as the primary payer on 4
5           active, no therapy benefit detail: the plan-level (30) answer only
6           inactive: the plan ended on the last day of the month before the date of service
7           AAA 72: the member ID is wrong (correct and resubmit)
8           AAA 71: the date of birth does not match
9           AAA 42: the payer cannot answer now (resubmit later)
==========  =======================================================================================

Visits used come from the ID too (0-19), so two patients of one scenario read differently. A 270
that is not a readable 270 is answered by :class:`~otbill.clearinghouse.transport.TransportError`
(a real clearinghouse answers such a file with a 999, not a 271).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field

from otbill import clock
from otbill.clearinghouse.simulator.answers_271 import Answer, EbLine, body_271
from otbill.clearinghouse.transport import TransportError
from otbill.domain.eligibility import Inquiry
from otbill.x12.envelope import InterchangeSettings, write_interchange
from otbill.x12.findings import X12Error
from otbill.x12.read_270 import read_270

__all__ = ["SCENARIOS", "SimulatedEligibilityPayer", "answer_270", "scenario_of"]

VERSION = "005010X279A1"
SCENARIOS = {
    "0": "active", "1": "active", "2": "active", "3": "msg-limit", "4": "medicare-advantage",
    "5": "plan-only", "6": "inactive", "7": "wrong-member-id", "8": "birth-date-mismatch",
    "9": "unavailable",
}  # fmt: skip
_REJECTIONS = {
    "wrong-member-id": ("72", "C"),
    "birth-date-mismatch": ("71", "C"),
    "unavailable": ("42", "R"),
}


def _digest(member_id: str) -> int:
    return int.from_bytes(hashlib.sha256(member_id.encode()).digest()[:4], "big")


def scenario_of(member_id: str) -> str:
    """The scenario the simulator answers for ``member_id`` (see the module's table)."""
    last = member_id.strip()[-1:] if member_id.strip() else ""
    key = last if last.isascii() and last.isdigit() else str(_digest(member_id) % 10)
    return SCENARIOS[key]


def _year(on: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)


def _eb(
    *elements: str, messages: tuple[str, ...] = (), related: tuple[str, str, str] | None = None
) -> EbLine:
    values = list(elements)
    while values and not values[-1]:
        values.pop()
    return EbLine(tuple(values), messages, related)


def _therapy(types: str, used: int, limit_in_eb: bool) -> list[EbLine]:
    lines = [
        _eb("1", "IND", types, "PR", "OTBILL GOLD PPO"),
        _eb("B", "IND", types, "", "", "27", "25", "", "", "", "", "Y"),
        _eb("B", "IND", types, "", "", "27", "50", "", "", "", "", "N"),
        _eb("A", "IND", types, "", "", "", "", "0.2", "", "", "", "Y"),
        _eb("A", "IND", types, "", "", "", "", "0.4", "", "", "", "N"),
    ]
    if limit_in_eb:
        lines += [
            _eb("F", "IND", types, "", "", "23", "", "", "VS", "20", "Y", "Y"),
            _eb("F", "IND", types, "", "", "23", "", "", "99", str(used), "", "Y"),
        ]
    else:
        text = "OT LIMITED TO 20 VISITS PER CALENDAR YEAR, PT AND OT COMBINED"
        lines.append(_eb("D", "IND", types, messages=(text,)))
    return lines


def _plan_level() -> list[EbLine]:
    return [
        _eb("1", "IND", "30", "PR", "OTBILL GOLD PPO"),
        _eb("C", "IND", "30", "", "", "29", "150", "", "", "", "", "Y"),
        _eb("C", "IND", "30", "", "", "29", "900", "", "", "", "", "N"),
        _eb("G", "IND", "30", "", "", "29", "2000", "", "", "", "", "Y"),
        _eb("G", "IND", "30", "", "", "29", "6000", "", "", "", "", "N"),
    ]


def decide(inquiry: Inquiry) -> Answer:
    """The answer for ``inquiry``: by its member ID's scenario, for its date of service."""
    scenario = scenario_of(inquiry.member_id)
    begin, end = _year(inquiry.date_of_service)
    if scenario in _REJECTIONS:
        return Answer(None, None, rejection=_REJECTIONS[scenario])
    if scenario == "inactive":
        ended = inquiry.date_of_service.replace(day=1) - dt.timedelta(days=1)
        return Answer(dt.date(ended.year, 1, 1), ended, [_eb("6", "IND", "30")])
    benefits = _plan_level()
    therapy = "^".join(t for t in inquiry.service_types if t in ("AD", "PT")) or ""
    if therapy and scenario != "plan-only":
        used = _digest(inquiry.member_id) % 20
        benefits += _therapy(therapy, used, limit_in_eb=scenario == "active")
    if scenario == "medicare-advantage":
        related = ("PRP", "SUNNY MEDICARE ADVANTAGE", "77777")
        benefits.append(_eb("R", "", "30", "HN", "SUNNY MEDICARE ADVANTAGE", related=related))
    return Answer(begin, end, benefits)


def answer_270(request: bytes, control_number: int = 1, now: dt.datetime | None = None) -> bytes:
    """The 271 interchange answering the 270 ``request`` (one answer per inquiry in it)."""
    try:
        read = read_270(request)
    except X12Error as exc:
        raise TransportError(f"the simulated payer could not read the 270: {exc}") from exc
    on = now or clock.now()
    bodies = [body_271(inquiry, decide(inquiry), on) for inquiry in read.inquiries]
    settings = InterchangeSettings(
        sender_id=read.receiver_id or "PAYER",
        receiver_id=read.sender_id or "OTBILL",
        functional_code="HB",
        version=VERSION,
        control_number=control_number,
        created=on,
    )
    return write_interchange(settings, "271", bodies).encode()


@dataclass
class SimulatedEligibilityPayer:
    """A :class:`~otbill.clearinghouse.realtime.RealTimeTransport` answered in-process.

    ``latency`` seconds are waited per exchange (the figures in docs/performance.md use 50 ms);
    ``requests`` keeps every 270 received, so tests can count them (no duplicate requests).
    """

    latency: float = 0.0
    requests: list[bytes] = field(default_factory=list)

    def exchange(self, request: bytes) -> bytes:
        self.requests.append(request)
        if self.latency:
            time.sleep(self.latency)
        return answer_270(request, control_number=len(self.requests))
