"""The threshold family: KX over the threshold, KX below it, the medical review threshold."""

from __future__ import annotations

from decimal import Decimal

from otbill.payers import load_profiles
from otbill.refdata.dated import DatedFees
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, codes, make_claim
from support.claimkit import scrub as scrub_all

# The fee schedule shipped with otbill: 97530 in 2025 is 1.07 RVUs x 32.3465 = $34.61 a unit.
FEES = DatedFees([])


def test_the_shipped_fee_schedule_prices_97530():
    assert FEES.allowed("97530", on=TODAY) == Decimal("34.61")


def run(fees=FEES):
    return ScrubContext(profiles=load_profiles(), today=TODAY, fee_schedule=fees)


def scrub(claim, select, fees=FEES):
    return list(scrub_claim(claim, run(fees), select_rules(load_rules(), select)).findings)


def test_clean_claim_has_no_threshold_findings(clean):
    assert not {c for c in codes(scrub_all(make_claim(clean))) if c.startswith("THR")}
    assert not scrub(make_claim(clean), ["THR"])


# THR001 ------------------------------------------------------------------------------------


def test_kx_missing_over_the_threshold_is_added(clean):
    clean["ytd_therapy_allowed"] = "2380.00"  # + 2 x $34.61 = $2,449.22 > $2,410
    claim = make_claim(clean)
    findings = scrub(claim, ["THR001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("THR001", 1, "error")]
    message = findings[0].message
    assert "$2,380.00" in message and "$2,410.00" in message and "2025" in message
    assert "$2,449.22" in message
    assert findings[0].fix.applicability is Applicability.SAFE
    new, _, result = fix_claim(claim, run(), select_rules(load_rules(), ["THR"]))
    assert new.lines[0].modifiers == ("GO", "KX") and not result.findings


def test_kx_is_an_attestation(clean):
    clean["ytd_therapy_allowed"] = "2380.00"
    clean["documentation"]["medical_necessity"] = False
    finding = scrub(make_claim(clean), ["THR001"])[0]
    assert finding.fix.applicability is Applicability.UNSAFE
    assert "medical necessity" in finding.fix.description


def test_only_lines_past_the_threshold_need_kx(clean):
    clean["ytd_therapy_allowed"] = "2350.00"
    line = clean["lines"][0]
    clean["lines"] = [dict(line, date="2025-02-10"), dict(line)]  # 2384.61, then 2419.22
    clean["lines"][0]["units"] = 1
    clean["lines"][0]["minutes"] = 15
    findings = scrub(make_claim(clean), ["THR001"])
    assert [f.line for f in findings] == [2]


def test_assistant_lines_count_at_85_percent(clean):
    clean["ytd_therapy_allowed"] = "2350.00"  # 2 x 34.61 x 0.85 = 58.84 -> 2408.84
    clean["lines"][0].update(modifiers=["GO", "CO"], furnished_by_assistant=True)
    assert not scrub(make_claim(clean), ["THR001"])
    clean["lines"][0].update(modifiers=["GO"], furnished_by_assistant=False)
    assert [f.rule for f in scrub(make_claim(clean), ["THR001"])] == ["THR001"]


def test_without_a_fee_schedule_charges_are_an_estimate(clean):
    clean["ytd_therapy_allowed"] = "2380.00"  # + $90.00 charge
    findings = scrub(make_claim(clean), ["THR001"], fees=None)
    assert [f.severity.value for f in findings] == ["warning"]
    assert "estimated from line charges" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE


def test_no_kx_threshold_no_finding(clean):
    clean["ytd_therapy_allowed"] = "9000.00"
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), ["THR"])


# THR002 ------------------------------------------------------------------------------------


def test_kx_below_the_threshold(clean):
    clean["lines"][0]["modifiers"] = ["GO", "KX"]
    findings = scrub(make_claim(clean), ["THR002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("THR002", 1, "warning")]
    assert "$1,869.22" in findings[0].message and "$2,410.00" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE
    assert findings[0].fix.edits[0].value == ("GO",)
    assert [f.rule for f in scrub(make_claim(clean), ["THR002"], fees=None)] == ["THR002"]


def test_kx_on_the_date_that_crosses_is_fine(clean):
    clean["ytd_therapy_allowed"] = "2350.00"
    line = clean["lines"][0]
    clean["lines"] = [dict(line, modifiers=["GO", "KX"]), dict(line, modifiers=["GO", "KX"])]
    assert not scrub(make_claim(clean), ["THR002"])


# THR003 ------------------------------------------------------------------------------------


def test_claim_crossing_the_medical_review_threshold(clean):
    clean["ytd_therapy_allowed"] = "2950.00"
    clean["lines"][0]["modifiers"] = ["GO", "KX"]
    findings = scrub(make_claim(clean), ["THR003"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("THR003", None, "info")]
    assert "$3,000.00" in findings[0].message and "medical review" in findings[0].message
    clean["ytd_therapy_allowed"] = "3100.00"  # crossed on an earlier claim
    assert not scrub(make_claim(clean), ["THR003"])
    clean["ytd_therapy_allowed"] = "2900.00"  # 2969.22: not over
    assert not scrub(make_claim(clean), ["THR003"])
