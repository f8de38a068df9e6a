"""The simulator's payer: deterministic, documented rules for acceptance, payment and denial.

Front door (277CA), in order; the first that applies rejects the claim:

- **Medicare without a referring provider** (SBR09 MB and no 2310A NM1*DN): the plan of care's
  certifying physician is required on Medicare therapy claims → ``A7:21:DN``.
- **Member ID not shaped like one**: letters and digits only, 2 to 20 of them → ``A7:21:IL``.

Adjudication (835) of accepted claims, per line:

- Allowed = the Medicare physician fee schedule amount for the code (``DatedFees``, the packaged
  RVU tables, non-facility, national) × units, times 1.0 for Medicare, 0.8 for Medicaid and 1.2
  for commercial payers, capped at the charge; a code without a fee is allowed 80% of its charge.
  The rest of the charge is **CO-45** (contractual).
- Patient responsibility: Medicare **PR-2** coinsurance 20% of allowed; commercial PR-2 10%, and a
  **PR-1** deductible of up to 25.00 on the first line of a claim dated in January; Medicaid none.
- Denials: a commercial or Medicaid claim without a prior authorization (no REF*G1) is denied
  whole, **CO-197** with RARC M62 on every line. A claim picked for medical review (the SHA-256 of
  its claim number ≡ 0 mod 8: deterministic, about one claim in eight) has its last line denied
  **CO-50** with RARC N115 — the claim is partially paid, or denied when that was its only line.

Every amount balances as the 835 guide requires (line: charge − paid = adjustments; claim: the
lines' sums; payment: the claims' paid amounts), so otbill's reader reports no findings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.claim import Claim, ServiceLine
from otbill.refdata.dated import DatedFees

__all__ = ["ClaimResult", "LineResult", "Rejection", "adjudicate", "front_door", "icn"]

_CENT = Decimal("0.01")
_MEMBER = re.compile(r"[A-Za-z0-9]{2,20}")
_FACTOR = {"medicare": Decimal("1.0"), "medicaid": Decimal("0.8")}


@dataclass(frozen=True, slots=True)
class Rejection:
    category: str  # STC01-1
    status: str  # STC01-2
    entity: str  # STC01-3
    why: str


@dataclass(frozen=True, slots=True)
class LineResult:
    line: ServiceLine
    allowed: Decimal
    paid: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]  # (group, CARC, amount)
    remark: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claim: Claim
    status: str  # CLP02: 1 processed as primary, 4 denied
    lines: tuple[LineResult, ...]

    @property
    def charge(self) -> Decimal:
        return sum((r.line.charge for r in self.lines), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((r.paid for r in self.lines), Decimal(0))

    @property
    def patient_share(self) -> Decimal:
        return sum((a for r in self.lines for g, _, a in r.adjustments if g == "PR"), Decimal(0))


def _kind(claim: Claim) -> str:
    profile = claim.payer.profile.lower()
    return next((k for k in _FACTOR if profile.startswith(k)), "commercial")


def icn(claim_number: str) -> str:
    """The payer's claim number (CLP07, REF*1K) for a claim: 13 digits from its number."""
    return str(int(hashlib.sha256(claim_number.encode()).hexdigest()[:12], 16))[:13].zfill(13)


def front_door(claim: Claim) -> Rejection | None:
    if _kind(claim) == "medicare" and claim.referring_provider is None:
        return Rejection("A7", "21", "DN", "Medicare claim without a referring provider")
    if not _MEMBER.fullmatch(claim.patient.member_id or ""):
        return Rejection("A7", "21", "IL", "member ID is not 2-20 letters or digits")
    return None


def _allowed(line: ServiceLine, kind: str, fees: DatedFees) -> Decimal:
    fee = fees.allowed(line.code, on=line.date)
    if fee is None:
        return (line.charge * Decimal("0.8")).quantize(_CENT)
    amount = (fee * line.units * _FACTOR.get(kind, Decimal("1.2"))).quantize(_CENT)
    return min(amount, line.charge)


def _patient_share(
    claim: Claim, n: int, allowed: Decimal, kind: str
) -> list[tuple[str, str, Decimal]]:
    if kind == "medicaid" or allowed <= 0:
        return []
    out = []
    left = allowed
    if kind == "commercial" and n == 0 and claim.lines[0].date.month == 1:
        deductible = min(left, Decimal("25.00"))
        out.append(("PR", "1", deductible))
        left -= deductible
    rate = Decimal("0.20") if kind == "medicare" else Decimal("0.10")
    coinsurance = (left * rate).quantize(_CENT)
    if coinsurance > 0:
        out.append(("PR", "2", coinsurance))
    return out


def _paid_line(claim: Claim, n: int, line: ServiceLine, kind: str, fees: DatedFees) -> LineResult:
    allowed = _allowed(line, kind, fees)
    adjustments = [("CO", "45", line.charge - allowed)] if line.charge > allowed else []
    shares = _patient_share(claim, n, allowed, kind)
    adjustments += shares
    paid = allowed - sum((a for _, _, a in shares), Decimal(0))
    return LineResult(line, allowed, paid, tuple(adjustments))


def _denied_line(line: ServiceLine, carc: str, remark: str) -> LineResult:
    return LineResult(line, Decimal(0), Decimal(0), (("CO", carc, line.charge),), remark)


def _reviewed(claim: Claim) -> bool:
    return int(hashlib.sha256(claim.claim_id.encode()).hexdigest(), 16) % 8 == 0


def adjudicate(claim: Claim, fees: DatedFees) -> ClaimResult:
    kind = _kind(claim)
    if kind != "medicare" and claim.prior_authorization is None:
        lines = tuple(_denied_line(x, "197", "M62") for x in claim.lines)
        return ClaimResult(claim, "4", lines)
    results = [_paid_line(claim, n, x, kind, fees) for n, x in enumerate(claim.lines)]
    if _reviewed(claim):
        results[-1] = _denied_line(claim.lines[-1], "50", "N115")
    status = "4" if all(r.paid == 0 and r.remark for r in results) else "1"
    return ClaimResult(claim, status, tuple(results))
