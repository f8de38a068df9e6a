"""CMP003 inconsistent-fees."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from otbill.codes import cpt
from otbill.domain.claim import Claim, HistoryLine
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_TOLERANCE = Decimal("0.01")  # per unit: rounding of a per-unit fee to whole cents


@rule("CMP003", "inconsistent-fees", "compliance", Severity.WARNING, since="0.1.0")
def inconsistent_fees(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The same service is charged at different prices to different payers.
    What it checks: the charge per unit of a code on this claim against the charge per unit the
    patient's history shows for the same code billed to a different payer in the same calendar
    year. Only history lines with a known payer, a known charge and at least one unit are
    compared, and differences of a cent per unit (rounding) are ignored.
    Why payers deny it: a practice keeps one fee schedule and charges every payer the same
    usual fee; charging Medicare more than other payers risks overpayment findings (42 CFR
    1001.701 excludes providers that charge Medicare substantially in excess of their usual
    charges), and lower fees to some payers make the usual charge hard to defend.
    Example: 97530 at 45.00 per unit on this Medicare claim, 35.00 per unit to a commercial
    payer on 2025-01-10.
    Fix: charge the practice's one fee for the code to every payer (contractual allowances
    belong in the payment posting, not in the charge).
    Source: 42 CFR 1001.701(a)(1) (charges substantially in excess of usual charges); Social Security Act §1128(b)(6)(A); CMS-1500/837P SV102 (the provider's usual charge).
    """
    if not claim.history:
        return
    payer = claim.payer.payer_id
    others = [
        h for h in claim.history if h.payer_id and h.payer_id != payer and h.charge and h.units
    ]
    if not others:
        return
    for i, line in enumerate(claim.lines):
        if line.units <= 0 or line.charge <= 0:
            continue
        code = cpt.compact(line.code)
        per_unit = line.charge / line.units
        differing = [
            h for h in others
            if h.date.year == line.date.year and cpt.compact(h.code) == code
            and abs(_per_unit(h) - per_unit) > _TOLERANCE
        ]  # fmt: skip
        if differing:
            yield _finding(i, code, per_unit, payer, differing)


def _per_unit(line: HistoryLine) -> Decimal:
    assert line.charge is not None
    return line.charge / line.units


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _finding(
    i: int, code: str, per_unit: Decimal, payer: str, differing: list[HistoryLine]
) -> Finding:
    shown = "; ".join(
        f"{_money(_per_unit(h))} to payer {h.payer_id} on {wording.day(h.date)} (claim {h.claim_id})"
        for h in differing[:3]
    )
    more = f" and {len(differing) - 3} more" if len(differing) > 3 else ""
    return inconsistent_fees.finding(
        f"line {i + 1} charges {_money(per_unit)} per unit of {code} to payer {payer}, but "
        f"the same code was charged {shown}{more}: fees should not differ by payer",
        line=i,
        fix=Fix(f"charge every payer the charge master's one fee for {code}"),
    )
