"""A 271's figures in sentences a front desk reads aloud: "Copay $25 in network, $50 out of network"."""

from __future__ import annotations

from decimal import Decimal

from otbill.domain.eligibility import SERVICE_TYPES
from otbill.domain.eligibility_codes import INSURANCE_TYPES
from otbill.domain.eligibility_summary import Coverage271, Pair

__all__ = ["describe"]


def _money(value: Decimal) -> str:
    return f"${value:,.2f}".replace(".00", "")


def _pair(label: str, pair: Pair, show: type[str] | None = None) -> str | None:
    def fmt(v: Decimal) -> str:
        return f"{v}%" if show is str else _money(v)

    parts = []
    if pair.in_network is not None:
        parts.append(f"{fmt(pair.in_network)} in network")
    if pair.out_of_network is not None:
        parts.append(f"{fmt(pair.out_of_network)} out of network")
    return f"{label}: {', '.join(parts)}" if parts else None


def _visits(c: Coverage271) -> str | None:
    if c.visit_limit is None and c.visits_used is None and c.visits_remaining is None:
        return None
    parts = []
    if c.visit_limit is not None:
        period = f" per {c.limit_period}" if c.limit_period else ""
        parts.append(f"limit {c.visit_limit}{period}")
    if c.visits_used is not None:
        parts.append(f"{c.visits_used} used")
    if c.visits_remaining is not None:
        parts.append(f"{c.visits_remaining} left")
    return "Visits: " + ", ".join(parts)


def describe(c: Coverage271) -> list[str]:
    """One line per figure the payer gave; figures it did not give are left out."""
    kind = SERVICE_TYPES.get(c.service_type, c.service_type)
    lines = [f"Coverage on {c.on}: {c.status}" + (f" ({c.plan_name})" if c.plan_name else "")]
    if c.plan_begin or c.plan_end:
        lines.append(f"Plan dates: {c.plan_begin or '?'} to {c.plan_end or 'open'}")
    lines.append(f"Benefits for: {kind} ({c.service_type})")
    for line in (
        _pair("Copay", c.copay),
        _pair("Coinsurance", c.coinsurance_percent, str),
        _pair("Deductible remaining", c.deductible_remaining),
        _pair("Out-of-pocket remaining", c.out_of_pocket_remaining),
        _visits(c),
    ):
        if line:
            lines.append(line)
    for evidence in c.limit_evidence:
        if not evidence.startswith("EB at"):
            lines.append(f"  from the payer's message: {evidence!r}")
    if c.authorization_required is not None:
        needed = "required" if c.authorization_required else "not required"
        lines.append(f"Authorization: {needed}")
    for other in c.other_payers:
        what = INSURANCE_TYPES.get(other.insurance_type, other.insurance_type or "coverage")
        advantage = " - bill Medicare Advantage, not Medicare" if other.medicare_advantage else ""
        lines.append(f"Other payer: {other.name} ({what}){advantage}")
    for said, fix in c.problems:
        lines.append(f"Payer says: {said}" + (f" - fix: {fix}" if fix else ""))
    return lines
