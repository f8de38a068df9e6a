"""The scrub engine: status, selection, payer ignores, fixes by copy, rule crashes, the registry."""

from __future__ import annotations

import pytest

from otbill.errors import ConfigError
from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim, status_of
from otbill.rules.fixes import apply_fix, apply_fixes
from otbill.rules.registry import (
    CATEGORIES,
    FAMILIES,
    Applicability,
    Edit,
    Finding,
    Fix,
    Rule,
    Severity,
    Status,
    load_rules,
    parse_doc,
    rule,
)
from otbill.rules.selection import is_selected, select_rules
from otbill.services.claims.scrub import fixes_allowed
from support.claimkit import TODAY, make_claim, scrub


def _finding(severity: Severity, fix: Fix | None = None) -> Finding:
    return Finding("TST001", "test", "code", severity, 1, "m", fix, "s")


def test_status_from_severities():
    assert status_of([]) == "clean"
    assert status_of([_finding(Severity.INFO)]) == "clean"
    assert status_of([_finding(Severity.INFO), _finding(Severity.WARNING)]) == "review"
    assert status_of([_finding(Severity.WARNING), _finding(Severity.ERROR)]) == "held"


def test_selection_longest_prefix_wins():
    assert is_selected("MOD001", [], [])
    assert not is_selected("MOD001", ["UNT"], [])
    assert not is_selected("MOD002", ["MOD"], ["MOD002"])
    assert is_selected("MOD002", ["MOD002"], ["MOD"])
    assert not is_selected("MOD002", ["MOD"], ["MOD"])  # a tie: ignore wins


def test_selector_matching_no_rule_is_refused():
    with pytest.raises(ConfigError, match="XYZ"):
        select_rules(load_rules(), ["XYZ"])


def test_every_rule_is_documented_and_coded_by_family():
    rules = load_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.category in CATEGORIES and r.code.startswith(FAMILIES[r.category])
        for section in (r.doc.what, r.doc.why, r.doc.example, r.doc.fix, r.doc.source):
            assert len(section) > 10


def test_a_rule_without_its_page_is_refused():
    def check(claim, ctx):
        """What it checks: x. Why payers deny it: y."""
        return []

    with pytest.raises(ConfigError, match="Example, Fix, Source"):
        parse_doc("TST001", check.__doc__)
    with pytest.raises(ConfigError, match="MOD"):
        rule("XXX001", "bad-prefix", "modifier", Severity.ERROR, since="0.1.0")(check)


def _run() -> ScrubContext:
    return ScrubContext(profiles=load_profiles(), today=TODAY)


def test_unknown_profile_holds_the_claim(clean):
    clean["payer"]["profile"] = "nobody"
    result = scrub_claim(make_claim(clean), _run(), load_rules())
    assert result.status == "held" and result.findings[0].rule == "COD000"
    assert "nobody" in result.findings[0].message


def _exploding_rule() -> Rule:
    def explode(claim, ctx):
        raise ZeroDivisionError

    doc = parse_doc(
        "COD999",
        "In short: z\nWhat it checks: a\nWhy payers deny it: b\nExample: c\nFix: d\nSource: e",
    )
    return Rule("COD999", "explodes", "code", Severity.INFO, explode, doc, "0.1.0", Status.STABLE)


def test_a_crashing_rule_holds_its_claim_and_the_batch_goes_on():
    result = scrub_claim(make_claim(), _run(), [_exploding_rule()])
    assert result.status == "held"
    assert "internal error in rule COD999" in result.findings[0].message


def test_fixes_make_copies_and_skip_overlapping_edits():
    claim = make_claim()
    add_go_kx = Fix("add KX", (Edit("modifiers", ("GO", "KX"), 0),), Applicability.SAFE)
    fixed = apply_fix(claim, add_go_kx)
    assert fixed.lines[0].modifiers == ("GO", "KX") and claim.lines[0].modifiers == ("GO",)
    home = Fix("home", (Edit("place_of_service", "10"),), Applicability.SAFE)
    other = Fix("other", (Edit("modifiers", ("GO", "59"), 0),), Applicability.SAFE)
    unsafe = Fix("unsafe", (Edit("units", 9, 0),), Applicability.UNSAFE)
    findings = [_finding(Severity.ERROR, f) for f in (add_go_kx, home, other, unsafe)]
    fixed, applied = apply_fixes(claim, findings)
    assert [f.fix.description for f in applied] == ["add KX", "home"]
    assert fixed.lines[0].modifiers == ("GO", "KX") and fixed.place_of_service == "10"
    assert fixed.lines[0].units == claim.lines[0].units
    fixed, applied = apply_fixes(claim, findings, fixes_allowed(unsafe=True))
    assert [f.fix.description for f in applied] == ["add KX", "home", "unsafe"]
    assert fixed.lines[0].units == 9


def test_fix_claim_reruns_until_clean(clean):
    clean["lines"][0]["modifiers"] = []
    clean["lines"][0]["units"] = 3
    claim = make_claim(clean)
    assert {"MOD001", "UNT001"} <= {f.rule for f in scrub(claim)}
    safe, applied, result = fix_claim(claim, _run(), load_rules())  # safe fixes only
    assert {f.rule for f in applied} == {"MOD001"} and safe.lines[0].units == 3
    assert [f.rule for f in result.findings] == ["UNT001"]  # units are left to a person
    fixed, applied, result = fix_claim(claim, _run(), load_rules(), fixes_allowed(unsafe=True))
    assert {f.rule for f in applied} >= {"MOD001", "UNT001"}
    assert fixed.lines[0].modifiers == ("GO",) and fixed.lines[0].units == 2
    assert result.status == "clean" and claim.lines[0].units == 3  # the input is untouched


def test_profile_ignores_rules(clean, tmp_path):
    clean["lines"][0]["code"] = "97350"
    profiles = load_profiles()
    lenient = profiles["medicare"].model_copy(update={"ignore": ("COD001",)})
    run = ScrubContext(profiles={"medicare": lenient}, today=TODAY)
    assert not [
        f for f in scrub_claim(make_claim(clean), run, load_rules()).findings if f.rule == "COD001"
    ]
