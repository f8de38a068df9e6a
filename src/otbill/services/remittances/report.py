"""What posting an 835 did: counts for the summary line, one outcome per claim, and the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from otbill.errors import OtbillError
from otbill.x12.findings import X12Finding

__all__ = ["ClaimOutcome", "PostingReport", "RemittanceRefused"]


class RemittanceRefused(OtbillError):
    """An 835 that must not post (error findings such as a balancing break); nothing was posted."""

    def __init__(self, name: str, findings: list[X12Finding]) -> None:
        self.findings = findings
        first = str(findings[0]) if findings else "no 835 transaction set in the file"
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(f"{name}: {first}{more}; nothing posted")


_COUNTS = (
    "remittances", "claims", "matched", "paid", "partially_paid", "denied", "reversed",
    "unmatched", "already_posted_claims", "postings", "denials_opened", "work_items",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    claim_number: str  # CLP01 (our CLM01): no PHI
    outcome: str  # paid, partially_paid, denied, reversed, unmatched, queued, already_posted
    paid: Decimal
    detail: str = ""


@dataclass(slots=True)
class PostingReport:
    file: str
    already_posted: bool = False
    remittances: int = 0
    claims: int = 0
    matched: int = 0
    paid: int = 0
    partially_paid: int = 0
    denied: int = 0
    reversed: int = 0
    unmatched: int = 0
    already_posted_claims: int = 0
    postings: int = 0
    denials_opened: int = 0
    work_items: int = 0
    payments_total: Decimal = Decimal("0.00")
    outcomes: list[ClaimOutcome] = field(default_factory=list)

    def add(self, number: str, outcome: str, paid: Decimal, detail: str = "") -> None:
        self.outcomes.append(ClaimOutcome(number, outcome, paid, detail))
        if outcome in ("paid", "partially_paid", "denied", "reversed", "unmatched"):
            setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "already_posted":
            self.already_posted_claims += 1

    def merge(self, step: PostingReport) -> None:
        """Add what one committed step posted (see :mod:`otbill.services.remittances.turns`)."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(step, name))
        self.payments_total += step.payments_total
        self.outcomes += step.outcomes

    def counts(self) -> dict[str, Any]:
        names = _COUNTS
        return {n: getattr(self, n) for n in names} | {"payments_total": str(self.payments_total)}

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "already_posted": self.already_posted,
            **self.counts(),
            "claims_detail": [
                {
                    "claim": o.claim_number,
                    "outcome": o.outcome,
                    "paid": str(o.paid),
                    "detail": o.detail,
                }
                for o in self.outcomes
            ],
        }

    def summary(self) -> str:
        if self.already_posted:
            return f"{self.file}: already posted; nothing changed"
        return (
            f"{self.file}: {self.claims} claim(s): {self.matched} matched, {self.paid} paid, "
            f"{self.partially_paid} partially paid, {self.denied} denied, {self.reversed} "
            f"reversed, {self.unmatched} unmatched (work queue), {self.already_posted_claims} "
            f"already posted; {self.postings} posting(s), payments {self.payments_total}, "
            f"{self.denials_opened} denial(s) opened"
        )
