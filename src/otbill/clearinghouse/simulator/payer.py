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

Secondary and tertiary claims (SBR01 S or T in the 837P's 2000B; :class:`Prior` carries what the
payer before this one decided, read from the claim's 2320 and 2430 loops) are adjudicated as a
Medigap **Plan L** supplement would: it follows the prior payer's decisions and pays 75% of what
that payer left to the patient, never more — per line, the 2430 CAS PR amounts of the line, or,
when no line was reported, the 2320 AMT*EAF spread over the lines in order (each capped at its
charge); the other 25% stays with the patient as **PR-2** coinsurance (Plan L pays 75% of the
Part B coinsurance: CMS, *Choosing a Medigap Policy*, publication 02110, chart of Medigap plans;
the plan's yearly out-of-pocket limit is not modelled). The rest of each line's charge is
**OA-23** (the impact of prior payers' adjudication); CLP02 is 2 (secondary) or 3 (tertiary). No
authorization is asked and no claim is picked for review: the supplement follows Medicare.

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

__all__ = ["ClaimResult", "LineResult", "Prior", "Rejection", "adjudicate", "front_door", "icn"]

_CENT = Decimal("0.01")
_MEMBER = re.compile(r"[A-Za-z0-9]{2,20}")
_FACTOR = {"medicare": Decimal("1.0"), "medicaid": Decimal("0.8")}
_SUPPLEMENT_SHARE = Decimal("0.75")  # Plan L pays 75% of the Part B coinsurance


@dataclass(frozen=True, slots=True)
class Prior:
    """What the payer before this one left to the patient, as the 837P says (see module doc).

    ``responsibility`` is this claim's SBR01 (S or T); ``line_left`` maps a line's number (LX01)
    to the PR amounts of its 2430 CAS; ``claim_left`` is 2320 AMT*EAF, or None when absent."""

    responsibility: str
    line_left: dict[int, Decimal]
    claim_left: Decimal | None = None

    def left(self, claim: Claim) -> list[Decimal]:
        """What was left to the patient on each of the claim's lines, capped at its charge."""
        if self.line_left:
            wanted = [self.line_left.get(n, Decimal(0)) for n in range(1, len(claim.lines) + 1)]
        else:
            rest, wanted = self.claim_left or Decimal(0), []
            for line in claim.lines:
                wanted.append(min(rest, line.charge))
                rest -= wanted[-1]
        return [max(Decimal(0), min(w, x.charge)) for w, x in zip(wanted, claim.lines, strict=True)]


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
    status: str  # CLP02: 1 processed as primary, 2 as secondary, 3 as tertiary, 4 denied
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


def _supplement(claim: Claim, prior: Prior) -> ClaimResult:
    """A Medigap Plan L's answer to a secondary or tertiary claim (see the module docstring)."""
    results = []
    for line, left in zip(claim.lines, prior.left(claim), strict=True):
        kept = left - (left * _SUPPLEMENT_SHARE).quantize(_CENT)
        adjustments = [("OA", "23", line.charge - left)] if line.charge > left else []
        if kept > 0:
            adjustments.append(("PR", "2", kept))
        results.append(LineResult(line, left, left - kept, tuple(adjustments)))
    return ClaimResult(claim, "3" if prior.responsibility == "T" else "2", tuple(results))


def adjudicate(claim: Claim, fees: DatedFees, prior: Prior | None = None) -> ClaimResult:
    """The 835's answer to an accepted claim: ``prior`` set makes it a secondary or tertiary."""
    if prior is not None:
        return _supplement(claim, prior)
    kind = _kind(claim)
    if kind != "medicare" and claim.prior_authorization is None:
        lines = tuple(_denied_line(x, "197", "M62") for x in claim.lines)
        return ClaimResult(claim, "4", lines)
    results = [_paid_line(claim, n, x, kind, fees) for n, x in enumerate(claim.lines)]
    if _reviewed(claim):
        results[-1] = _denied_line(claim.lines[-1], "50", "N115")
    status = "4" if all(r.paid == 0 and r.remark for r in results) else "1"
    return ClaimResult(claim, status, tuple(results))
