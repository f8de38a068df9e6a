"""Rule codes that no rule may take: retired rules, and the codes the engine reports itself.

A rule that is removed keeps its code here for good, with the version that retired it and why,
so an old finding, waiver or ``ignore`` entry never comes to mean something else (as ruff does).
The registry refuses to register a rule whose code or name is listed here.

To retire a rule: delete its module and its page in docs/rules/, add a :class:`RetiredRule`
below, and say in ``replaced_by`` which rule (if any) now reports the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RESERVED", "RETIRED", "RetiredRule", "retired_rule"]


@dataclass(frozen=True, slots=True)
class RetiredRule:
    code: str
    name: str
    retired_in: str  # the otbill version that removed it
    reason: str
    replaced_by: str | None = None


# No rule has been retired yet (every rule appeared in 0.1.0 and is still in force).
RETIRED: tuple[RetiredRule, ...] = ()

# Codes the engine uses for findings of its own; no rule may take them.
RESERVED = {
    "COD000": "the engine's own notices: a claim read from an 837P, an unknown payer profile",
}


def retired_rule(code: str, name: str) -> RetiredRule | None:
    """The retired rule that had this code or this name, if any."""
    return next((r for r in RETIRED if code == r.code or name == r.name), None)
