"""What a rule reports: a finding with its severity, and an optional fix that is data.

A fix is a list of edits (set one field of the claim or of one service line), applied by the
engine to a copy of the claim, never by the rule. Its applicability says who may apply it:

- ``safe``: the records establish the facts and nothing billed changes (add GO to an OT line,
  add CO to a line the record says an assistant furnished); ``otbill scrub --fix`` applies it.
- ``unsafe``: it needs a person's judgement, or it changes what is billed (units, charges): a fix
  that changes a billed amount is never safe. ``otbill scrub --fix --unsafe-fixes`` applies it.
- ``display-only``: a suggestion in words, never applied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = ["BILLED_AMOUNT_FIELDS", "Applicability", "Edit", "Finding", "Fix", "Severity"]

# Fields whose change changes what the claim bills: a fix editing one of them is never safe.
BILLED_AMOUNT_FIELDS = frozenset({"units", "charge", "total_charge"})


class Severity(enum.StrEnum):
    ERROR = "error"  # the claim is held
    WARNING = "warning"  # a person should review
    INFO = "info"


class Applicability(enum.StrEnum):
    SAFE = "safe"  # the records establish the facts; --fix applies it
    UNSAFE = "unsafe"  # needs a person's judgement, or changes a billed amount; --unsafe-fixes
    DISPLAY_ONLY = "display-only"  # a suggestion, never applied


@dataclass(frozen=True, slots=True)
class Edit:
    """Set one field of the claim (``line`` None) or of one service line (0-based index)."""

    field: str
    value: Any
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...] = ()
    applicability: Applicability = Applicability.DISPLAY_ONLY

    def __post_init__(self) -> None:
        if self.applicability is Applicability.SAFE and self.changes_billed_amount:
            raise ValueError(f"fix {self.description!r} changes a billed amount: it cannot be safe")

    @property
    def changes_billed_amount(self) -> bool:
        return any(edit.field in BILLED_AMOUNT_FIELDS for edit in self.edits)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    category: str
    severity: Severity
    line: int | None  # 1-based service line, or None for the whole claim
    message: str
    fix: Fix | None
    source: str

    def as_json(self) -> dict[str, object]:
        fix = None
        if self.fix is not None:
            fix = {
                "description": self.fix.description,
                "applicability": self.fix.applicability.value,
            }
        return {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "line": self.line,
            "message": self.message,
            "fix": fix,
            "source": self.source,
        }
