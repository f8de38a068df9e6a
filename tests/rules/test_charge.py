"""The charge family: line charges and the claim total."""

from __future__ import annotations

from decimal import Decimal

from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, make_claim, scrub


def test_clean_claim_has_no_charge_findings(clean):
    assert not scrub(make_claim(clean), select=["CHG"])
    clean["total_charge"] = "90.00"
    assert not scrub(make_claim(clean), select=["CHG"])


def test_zero_and_negative_charges(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, charge="0.00"), dict(line, date="2025-02-13", charge="-45.00")]
    findings = scrub(make_claim(clean), select=["CHG001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [
        ("CHG001", 1, "error"), ("CHG001", 2, "error"),
    ]  # fmt: skip
    assert "0.00" in findings[0].message and "zero" in findings[0].message
    assert "-45.00" in findings[1].message and "negative" in findings[1].message


def test_bundled_code_at_no_charge_is_fine(clean):
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, code="97010", minutes=10, units=1, charge="0.00")]
    assert not scrub(make_claim(clean), select=["CHG001"])


def test_total_charge_mismatch(clean):
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, code="97535", minutes=15, units=1, charge="45.00")]
    clean["total_charge"] = "125.00"
    claim = make_claim(clean)
    findings = scrub(claim, select=["CHG002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("CHG002", None, "error")]
    assert "125.00" in findings[0].message and "135.00" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.applicability is Applicability.UNSAFE
    run = ScrubContext(load_profiles(), TODAY)
    rules = select_rules(load_rules(), ["CHG"])
    unchanged, applied, _ = fix_claim(claim, run, rules)
    assert not applied and unchanged.total_charge == Decimal("125.00")  # never applied by --fix
    fixed, applied, result = fix_claim(
        claim, run, rules, frozenset({Applicability.SAFE, Applicability.UNSAFE})
    )
    assert fixed.total_charge == Decimal("135.00") and not result.findings
