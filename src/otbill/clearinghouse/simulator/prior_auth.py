"""A simulated payer answering 278 prior authorization requests with 278 responses, in-process.

The answer is chosen by the member ID's last digit, so a demo or a test picks a scenario by the ID
it types (an ID without a final digit is mapped by its SHA-256):

==========  =======================================================================================
last digit  answer (HCR01 of the patient event; each service gets its own HCR)
==========  =======================================================================================
0, 1, 2     approved in full (A1): a certification number, the dates asked as the certified dates
            (DTP*007), every visit and unit asked. More than 24 visits asked is answered as on 3
            and 4: the plan authorizes at most 24 at a time
3, 4        approved in part (A2, reason 04 "authorized quantity exceeded"): each service asking
            for more than one visit or unit gets two thirds of it (rounded down), at most 24
            visits
5, 6        pended (A4): no number yet; the payer's reference (REF*NT) and a message asking for
            the signed plan of care and the latest progress note (MSG)
7, 8        denied (A3, reason 09 "out of network"): every service not certified
9           not answered: AAA 75 on the subscriber (not found; correct and resubmit), no event
==========  =======================================================================================

The response repeats the request's hierarchy (TR3 005010X217 section 1.4: a response answers each
level asked): payer, requester, subscriber, dependent, then the patient event with our TRN echoed
as TRN*2, the UM asked, the decision (HCR) and its dates, and each service with its own decision
and the visits (HSD*VS) or units (SV1 UN) approved. A 278 that does not follow the guide is
answered by :class:`~otbill.clearinghouse.transport.TransportError` (a real clearinghouse answers
it with a 999, not a 278), and so is a share of requests when ``failure_rate`` is set: the payer
did not answer (seeded, so a test sees the same failures each run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass, field

from otbill import clock
from otbill.clearinghouse.transport import TransportError
from otbill.domain.prior_auth import AuthLine, AuthRequest, Person, Provider
from otbill.x12.envelope import InterchangeSettings, write_interchange
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_278 import read_278

__all__ = ["MAX_VISITS", "SCENARIOS", "SimulatedPriorAuthPayer", "answer_278", "scenario_of"]

VERSION = "005010X217"
MAX_VISITS = 24  # the most visits the simulated plan authorizes at a time
SCENARIOS = {
    "0": "approved", "1": "approved", "2": "approved", "3": "partial", "4": "partial",
    "5": "pended", "6": "pended", "7": "denied", "8": "denied", "9": "member not found",
}  # fmt: skip
PEND_MESSAGE = "SEND THE SIGNED PLAN OF CARE AND THE LATEST PROGRESS NOTE"
Body = list[list[str]]


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def scenario_of(member_id: str, visits_asked: int = 0) -> str:
    """The scenario the simulator answers for ``member_id`` (see the module's table)."""
    last = member_id.strip()[-1:]
    key = last if last.isascii() and last.isdigit() else str(_digest(member_id) % 10)
    scenario = SCENARIOS[key]
    if scenario == "approved" and visits_asked > MAX_VISITS:
        return "partial"
    return scenario


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _approved(lines: tuple[AuthLine, ...]) -> list[int]:
    """Two thirds of each count above one, and no line over 24 visits (each line counts the
    same visits: a visit of two codes is one visit)."""
    counts = [q * 2 // 3 if q > 1 else q for q in (line.quantity for line in lines)]
    return [min(n, MAX_VISITS) if line.measure == "visits" else n
            for n, line in zip(counts, lines, strict=True)]  # fmt: skip


def _name(code: str, who: Person, ids: list[str]) -> list[str]:
    return ["NM1", code, "1", who.last_name, who.first_name, "", "", "", *ids]


def _provider(code: str, who: Provider) -> list[str]:
    kind = "1" if who.first_name is not None else "2"
    return ["NM1", code, kind, who.name, who.first_name or "", "", "", "", "XX", who.npi]


def _people(request: AuthRequest, rejected: bool) -> tuple[Body, int]:
    """The payer, requester, subscriber and dependent levels; the HL the event hangs from."""
    body: Body = [
        ["HL", "1", "", "20", "1"],
        ["NM1", "X3", "2", request.payer_name, "", "", "", "", "PI", request.payer_id],
        ["HL", "2", "1", "21", "1"],
        _provider("1P", request.requester),
        ["HL", "3", "2", "22", "0" if rejected else "1"],
        _name("IL", request.subscriber, ["MI", request.member_id]),
    ]
    if rejected:
        return [*body, ["AAA", "N", "", "75", "C"]], 3
    if request.patient is not None and request.relationship != "self":
        body += [["HL", "4", "3", "23", "1"], _name("QC", request.patient, [])]
        return body, 4
    return body, 3


def _body(request: AuthRequest, now: dt.datetime, component: str) -> Body:
    scenario = scenario_of(request.member_id, request.visits_asked)
    head = [["BHT", "0007", "11", request.trace, _d8(now.date()), now.strftime("%H%M"), "18"]]
    people, parent = _people(request, scenario == "member not found")
    if scenario == "member not found":
        return head + people
    number = f"AUTH{_digest(request.trace + request.member_id) % 10**8:08d}"
    dates = f"{_d8(request.start)}-{_d8(request.end)}"
    place = f"{request.place_of_service or '11'}{component}B"
    um = ["UM", "HS", request.certification_type or "I", request.service_type, place]
    event = parent + 1
    body = head + people + [["HL", str(event), str(parent), "EV", "1"]]
    body.append(["TRN", "2", request.trace, request.originator])
    body.append(um)
    counts = [line.quantity for line in request.lines]
    if scenario == "approved":
        body += [["HCR", "A1", number], ["DTP", "007", "RD8", dates]]
    elif scenario == "partial":
        counts = _approved(request.lines)
        body += [["HCR", "A2", number, "04"], ["DTP", "007", "RD8", dates]]
    elif scenario == "pended":
        reference = f"PEND{_digest(request.trace) % 10**6:06d}"
        body += [["HCR", "A4"], ["REF", "NT", reference]]
    else:
        body.append(["HCR", "A3", "", "09"])
    if scenario in ("approved", "partial"):
        body += [["DTP", "036", "D8", _d8(request.end)], ["DTP", "102", "D8", _d8(now.date())]]
    if scenario == "pended":
        body.append(["MSG", PEND_MESSAGE])
    for n, (line, count) in enumerate(zip(request.lines, counts, strict=True), start=event + 1):
        hl = ["HL", str(n), str(event), "SS", "0"]
        body += [hl, *_service(line, count, scenario, number, dates, component)]
    return body


def _service(
    line: AuthLine, count: int, scenario: str, number: str, dates: str, component: str
) -> Body:
    """One service's decision, dates and the count approved (or asked, when none is approved)."""
    code = component.join(["HC", line.procedure_code, *line.modifiers])
    if scenario in ("approved", "partial"):
        action = "A1" if count == line.quantity else "A2"
        hcr = ["HCR", action, number] + (["04"] if action == "A2" else [])
        shown = count
    elif scenario == "pended":
        hcr, shown = ["HCR", "A4"], line.quantity
    else:
        hcr, shown = ["HCR", "A3", "", "09"], line.quantity
    out: Body = [hcr]
    out.append(["DTP", "007" if hcr[1] in ("A1", "A2") else "472", "RD8", dates])
    if line.measure == "units":
        out.append(["SV1", code, "", "UN", str(shown)])
    else:
        out += [["SV1", code], ["HSD", "VS", str(shown)]]
    return out


def answer_278(request: bytes, control_number: int = 1, now: dt.datetime | None = None) -> bytes:
    """The 278 response interchange answering the 278 request ``request``."""
    findings = validate(request, "278")
    if findings:
        raise TransportError(f"the simulated payer refused the 278: {findings[0]}")
    try:
        read = read_278(request)
    except X12Error as exc:
        raise TransportError(f"the simulated payer could not read the 278: {exc}") from exc
    on = now or clock.now()
    settings = InterchangeSettings(
        sender_id=read.receiver_id or "PAYER",
        receiver_id=read.sender_id or "OTBILL",
        functional_code="HI",
        version=VERSION,
        control_number=control_number,
        created=on,
    )
    component = settings.delimiters.component
    bodies = [_body(one, on, component) for one in read.requests]
    return write_interchange(settings, "278", bodies).encode()


@dataclass
class SimulatedPriorAuthPayer:
    """A :class:`~otbill.clearinghouse.realtime.RealTimeTransport` answering 278s in-process.

    ``latency`` seconds are waited per exchange; ``failure_rate`` (0 to 1) is the share of
    exchanges that fail with :class:`TransportError` after the wait, drawn from a random generator
    seeded with ``seed``; ``requests`` keeps every 278 received, so tests can count them.
    """

    latency: float = 0.0
    failure_rate: float = 0.0
    seed: int = 0
    requests: list[bytes] = field(default_factory=list)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError(f"failure_rate {self.failure_rate} is not between 0 and 1")
        if self.latency < 0:
            raise ValueError(f"latency {self.latency} is negative")
        self._random = random.Random(self.seed)

    def exchange(self, request: bytes) -> bytes:
        self.requests.append(request)
        if self.latency:
            time.sleep(self.latency)
        if self.failure_rate and self._random.random() < self.failure_rate:
            raise TransportError(
                "the simulated payer did not answer the 278 (a simulated failure; "
                f"failure_rate {self.failure_rate})"
            )
        return answer_278(request, control_number=len(self.requests))
