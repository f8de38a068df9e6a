"""The compliance family: evaluation level vs note, maximal units every visit, fees by payer."""

from __future__ import annotations

from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_compliance_findings(clean):
    assert not scrub(make_claim(clean), select=["CMP"])


def _evaluation(clean, code, complexity):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code=code, minutes=60, units=1, charge="110.00")]
    clean["documentation"]["note_type"] = "evaluation"
    clean["documentation"]["evaluation_complexity"] = complexity
    return make_claim(clean)


def test_high_complexity_billed_moderate_documented(clean):
    findings = scrub(_evaluation(clean, "97167", "moderate"), select=["CMP001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("CMP001", 1, "warning")]
    assert "97167" in findings[0].message and "documents moderate complexity" in findings[0].message
    assert findings[0].fix is not None and "97166" in findings[0].fix.description
    assert not findings[0].fix.edits


def test_high_complexity_without_a_documented_level(clean):
    findings = scrub(_evaluation(clean, "97167", None), select=["CMP001"])
    assert len(findings) == 1 and "no evaluation complexity" in findings[0].message


def test_moderate_billed_low_documented(clean):
    findings = scrub(_evaluation(clean, "97166", "low"), select=["CMP001"])
    assert len(findings) == 1 and "97165" in findings[0].fix.description


def test_matching_or_lower_levels_are_fine(clean):
    for code, level in (("97167", "high"), ("97166", "moderate"), ("97165", "low"),
                        ("97165", "high"), ("97166", None), ("97165", None)):  # fmt: skip
        assert not scrub(_evaluation(clean, code, level), select=["CMP001"]), (code, level)


def _history(dates, code="97530", units=6, **extra):
    return [
        {"claim_id": f"CLM-H{n}", "date": d, "code": code, "units": units,
         "rendering_npi": "1245319599", **extra}
        for n, d in enumerate(dates)
    ]  # fmt: skip


def test_maximum_units_every_visit(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, minutes=90, units=6)]
    clean["history"] = _history(["2025-01-31", "2025-02-07"])
    findings = scrub(make_claim(clean), select=["CMP002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("CMP002", 1, "warning")]
    message = findings[0].message
    assert "97530" in message and "6 units" in message and "31 Jan 2025 × 6" in message


def test_one_lighter_visit_breaks_the_pattern(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, minutes=90, units=6)]
    clean["history"] = _history(["2025-01-31", "2025-02-07"])
    clean["history"][0]["units"] = 4
    assert not scrub(make_claim(clean), select=["CMP002"])
    clean["history"] = _history(["2025-02-07"])  # two dates are not yet a pattern
    assert not scrub(make_claim(clean), select=["CMP002"])


def test_fallback_of_four_units_for_codes_without_an_mue_of_two_or_more(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code="97535", minutes=60, units=4)]  # MUE 8: not reached
    clean["history"] = _history(["2025-01-31", "2025-02-07"], code="97535", units=4)
    assert not scrub(make_claim(clean), select=["CMP002"])


def test_fees_differ_by_payer(clean):
    clean["history"] = _history(["2025-01-10"], units=2, payer_id="87726", charge="70.00")
    findings = scrub(make_claim(clean), select=["CMP003"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("CMP003", 1, "warning")]
    message = findings[0].message
    assert "45.00 per unit" in message and "35.00" in message and "87726" in message


def test_fees_compared_per_unit_and_only_when_known(clean):
    clean["history"] = _history(["2025-01-10"], units=3, payer_id="87726", charge="135.00")
    assert not scrub(make_claim(clean), select=["CMP003"])  # 45.00 per unit either way
    clean["history"] = _history(["2025-01-10"], units=2, payer_id="87726")  # charge unknown
    assert not scrub(make_claim(clean), select=["CMP003"])
    clean["history"] = _history(["2025-01-10"], units=2, payer_id="00435", charge="70.00")
    assert not scrub(make_claim(clean), select=["CMP003"])  # same payer: not this rule
    clean["history"] = _history(["2024-12-10"], units=2, payer_id="87726", charge="70.00")
    assert not scrub(make_claim(clean), select=["CMP003"])  # last year's fee schedule
