"""What one 835 claim payment posts to which of our claim lines (pure; no database).

Matching: each SVC is matched to one of our lines by the code we billed (SVC06 when the payer
changed the code, else SVC01), its modifiers and the date of service; failing that by code and
date, then by code alone. An SVC that matches no line, claim-level CAS amounts, and a claim paid
without SVC lines are posted *at claim level*: the ledger keeps postings per line, so a claim-level
amount is split over the claim's lines in proportion to their charges (cents rounded; the last
line takes the remainder). Kinds: the payment is a payer payment; group PR is a transfer to the
patient's responsibility; CO, OA and PI (and CR, which 5010 does not allow, as OA) are adjustments.

Outcome: CLP02 4 is denied; otherwise money written off for a reason other than the contract
(any CO/OA/PI adjustment whose CARC is not in :data:`CONTRACTUAL`) is *denied money*: the claim is
denied when nothing was paid, else partially paid; with no denied money it is paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.domain.remittance import Adjustment, ClaimPayment, ServicePayment

__all__ = [
    "CONTRACTUAL",
    "DeniedAmount",
    "LineRef",
    "Planned",
    "denied_amounts",
    "match_services",
    "outcome",
    "plan_claim",
]

#: CARCs that are the contract working, not a denial: 45 fee schedule, 253 sequestration, 23
#: the prior payers' part on a secondary's 835 (services.claims.coordination).
CONTRACTUAL = frozenset({"45", "253", "23"})
ZERO = Decimal("0.00")
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class LineRef:
    """One of our claim lines, as matching needs it."""

    position: int
    code: str
    modifiers: tuple[str, ...]
    date: dt.date
    charge: Decimal


@dataclass(frozen=True, slots=True)
class Planned:
    """One posting to make: ``kind`` of ``amount`` on our line ``position``; ``key`` is unique."""

    key: str
    position: int
    kind: Kind
    amount: Decimal
    group: str | None = None
    carc: str | None = None
    rarc: str | None = None


@dataclass(frozen=True, slots=True)
class DeniedAmount:
    group: str
    carc: str
    amount: Decimal
    position: int | None  # our line, or None at claim level


def _billed(svc: ServicePayment) -> tuple[str, frozenset[str]]:
    if svc.original_code:
        return svc.original_code, frozenset(svc.original_modifiers)
    return svc.code, frozenset(svc.modifiers)


def _exact(code: str, mods: frozenset[str], day: dt.date | None, line: LineRef) -> bool:
    return line.code == code and frozenset(line.modifiers) == mods and line.date == day


def _code_and_date(code: str, mods: frozenset[str], day: dt.date | None, line: LineRef) -> bool:
    return line.code == code and line.date == day


def _code_only(code: str, mods: frozenset[str], day: dt.date | None, line: LineRef) -> bool:
    return line.code == code


def match_services(
    services: Sequence[ServicePayment], lines: Sequence[LineRef], claim_date: dt.date | None
) -> list[int | None]:
    """For each SVC, the position of our line it pays (each line used once), or None."""
    out: list[int | None] = [None] * len(services)
    free = {line.position: line for line in lines}
    for test in (_exact, _code_and_date, _code_only):
        for i, svc in enumerate(services):
            if out[i] is not None:
                continue
            code, mods = _billed(svc)
            day = svc.date or claim_date
            found = next((x for x in free.values() if test(code, mods, day, x)), None)
            if found is not None:
                out[i] = found.position
                del free[found.position]
    return out


def _split(amount: Decimal, lines: Sequence[LineRef]) -> list[tuple[int, Decimal]]:
    """``amount`` over the lines in proportion to their charges; the last takes the remainder."""
    total = sum((x.charge for x in lines), ZERO)
    if total <= 0:
        return [(lines[0].position, amount)]
    parts, left = [], amount
    for line in lines[:-1]:
        share = (amount * line.charge / total).quantize(_CENT)
        parts.append((line.position, share))
        left -= share
    parts.append((lines[-1].position, left))
    return [(p, a) for p, a in parts if a != 0]


def _kind(group: str) -> tuple[Kind, str]:
    if group == "PR":
        return Kind.TRANSFER, "PR"
    return Kind.ADJUSTMENT, group if group in ("CO", "OA", "PI") else "OA"


class _Planner:
    def __init__(self, prefix: str, lines: Sequence[LineRef], claim_rarc: str | None) -> None:
        self.prefix, self.lines, self.claim_rarc = prefix, lines, claim_rarc
        self.out: list[Planned] = []

    def add(
        self,
        tag: str,
        position: int | None,
        kind: Kind,
        amount: Decimal,
        adj: tuple[str, str, str | None] | None = None,
    ) -> None:
        """Plan ``amount`` on a line, or split at claim level; ``adj`` = (group, CARC, RARC)."""
        if amount == 0:
            return
        group, carc, rarc = adj if adj is not None else (None, None, None)
        targets = [(position, amount)] if position is not None else _split(amount, self.lines)
        for pos, part in targets:
            suffix = tag if position is not None else f"c{tag}:{pos}"
            self.out.append(Planned(f"{self.prefix}:{suffix}", pos, kind, part, group, carc, rarc))

    def adjustments(
        self, tag: str, position: int | None, adjs: Sequence[Adjustment], rarc: str | None
    ) -> None:
        for n, adj in enumerate(adjs, start=1):
            kind, group = _kind(adj.group)
            self.add(f"{tag}a{n}", position, kind, adj.amount, (group, adj.reason, rarc))


def plan_claim(prefix: str, payment: ClaimPayment, lines: Sequence[LineRef]) -> list[Planned]:
    """Every posting for ``payment`` on ``lines``; amounts may be negative (the caller refuses)."""
    claim_rarc = payment.remarks[0] if payment.remarks else None
    planner = _Planner(prefix, lines, claim_rarc)
    matched = match_services(payment.services, lines, payment.service_from)
    line_paid = ZERO
    for n, (svc, position) in enumerate(zip(payment.services, matched, strict=True), start=1):
        rarc = svc.remarks[0] if svc.remarks else claim_rarc
        tag = f"L{position}" if position is not None else f"s{n}"
        planner.add(f"{tag}pay", position, Kind.PAYMENT, svc.paid)
        planner.adjustments(tag, position, svc.adjustments, rarc)
        line_paid += svc.paid
    planner.add("pay", None, Kind.PAYMENT, payment.paid - line_paid)
    planner.adjustments("", None, payment.adjustments, claim_rarc)
    return planner.out


def denied_amounts(payment: ClaimPayment, lines: Sequence[LineRef]) -> list[DeniedAmount]:
    """Money written off for a reason other than the contract (see :data:`CONTRACTUAL`)."""
    matched = match_services(payment.services, lines, payment.service_from)
    found = [
        DeniedAmount(a.group, a.reason, a.amount, None)
        for a in payment.adjustments
        if a.group != "PR" and a.reason not in CONTRACTUAL
    ]
    for svc, position in zip(payment.services, matched, strict=True):
        found += [
            DeniedAmount(a.group, a.reason, a.amount, position)
            for a in svc.adjustments
            if a.group != "PR" and a.reason not in CONTRACTUAL
        ]
    return [d for d in found if d.amount > 0]


def outcome(payment: ClaimPayment, denied: Sequence[DeniedAmount]) -> str:
    """paid, partially_paid or denied (see the module docstring)."""
    if payment.status == "4":
        return "denied"
    if denied:
        return "partially_paid" if payment.paid > 0 else "denied"
    return "paid"
