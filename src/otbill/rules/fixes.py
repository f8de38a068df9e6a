"""Applying fixes: copies of the claim with the fix's edits, never a mutation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from otbill.domain.claim import Claim
from otbill.rules.findings import Applicability, Finding, Fix

__all__ = ["apply_fix", "apply_fixes"]


def apply_fix(claim: Claim, fix: Fix) -> Claim:
    """The claim with every edit of ``fix`` applied (validated again by the claim model)."""
    line_changes: dict[int, dict[str, Any]] = {}
    claim_changes: dict[str, Any] = {}
    for edit in fix.edits:
        if edit.line is None:
            claim_changes[edit.field] = edit.value
        else:
            line_changes.setdefault(edit.line, {})[edit.field] = edit.value
    if line_changes:
        lines = list(claim.lines)
        for index, changes in line_changes.items():
            lines[index] = dataclasses.replace(lines[index], **changes)
        claim_changes["lines"] = tuple(lines)
    return dataclasses.replace(claim, **claim_changes) if claim_changes else claim


def apply_fixes(
    claim: Claim,
    findings: Iterable[Finding],
    allowed: frozenset[Applicability] = frozenset({Applicability.SAFE}),
) -> tuple[Claim, list[Finding]]:
    """Apply the allowed fixes in finding order; returns the new claim and the findings fixed.

    A fix whose edits touch a field an earlier fix already changed is skipped: the scrubber is run
    again afterwards and reports what is still wrong, instead of guessing how fixes compose.
    """
    touched: set[tuple[int | None, str]] = set()
    applied: list[Finding] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.applicability not in allowed or not fix.edits:
            continue
        keys = {(e.line, e.field) for e in fix.edits}
        if keys & touched:
            continue
        claim = apply_fix(claim, fix)
        touched |= keys
        applied.append(finding)
    return claim, applied
