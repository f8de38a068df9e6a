"""The modifier family: GO, wrong discipline, assistant modifiers, conflicts, unknown modifiers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.codes import modifiers
from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, codes, make_claim
from support.claimkit import scrub as scrub_all


def scrub(claim, select, **changes):
    """Scrub with the packaged profiles, the claim's own profile changed by ``changes``."""
    profiles = load_profiles()
    name = claim.payer.profile
    profiles[name] = profiles[name].model_copy(update=changes)
    run = ScrubContext(profiles=profiles, today=TODAY)
    return list(scrub_claim(claim, run, select_rules(load_rules(), select)).findings)


def fixed(claim, select):
    run = ScrubContext(profiles=load_profiles(), today=TODAY)
    return fix_claim(claim, run, select_rules(load_rules(), select))


def test_clean_claim_has_no_modifier_findings(clean):
    assert not {c for c in codes(scrub_all(make_claim(clean))) if c.startswith("MOD")}


# MOD001 ------------------------------------------------------------------------------------


def test_missing_go_is_added(clean):
    clean["lines"][0]["modifiers"] = ["KX"]
    claim = make_claim(clean)
    findings = scrub(claim, ["MOD001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MOD001", 1, "error")]
    assert findings[0].message.startswith("line 1 (97530 on 14 Feb 2025) has no GO modifier")
    new, _, result = fixed(claim, ["MOD001"])
    assert new.lines[0].modifiers == ("KX", "GO") and not result.findings


def test_go_not_required_outside_ot_therapy(clean):
    clean["lines"][0]["modifiers"] = []
    assert not scrub(make_claim(clean), ["MOD001"], therapy_modifier=None)
    clean["lines"][0].update(code="98016", minutes=8, units=1)  # E/M code: not a therapy line
    assert not scrub(make_claim(clean), ["MOD001"])
    clean["lines"][0].update(code="97530", minutes=24, units=2, modifiers=["GP"])
    assert not scrub(make_claim(clean), ["MOD001"])  # MOD002 replaces GP


# MOD002 ------------------------------------------------------------------------------------


def test_gp_on_an_ot_claim_is_replaced(clean):
    clean["lines"][0]["modifiers"] = ["GP", "KX"]
    claim = make_claim(clean)
    findings = scrub(claim, ["MOD002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MOD002", 1, "error")]
    assert "GP (physical therapy)" in findings[0].message
    new, _, result = fixed(claim, ["MOD002"])
    assert new.lines[0].modifiers == ("GO", "KX") and not result.findings
    lenient = scrub(claim, ["MOD002"], severity={"MOD002": "warning"})  # a per-payer override
    assert [f.severity.value for f in lenient] == ["warning"]


def test_gn_with_go_is_dropped_and_pt_claims_keep_gp(clean):
    clean["lines"][0]["modifiers"] = ["GO", "GN"]
    new, _, _ = fixed(make_claim(clean), ["MOD002"])
    assert new.lines[0].modifiers == ("GO",)
    clean["discipline"] = "PT"
    clean["lines"][0]["modifiers"] = ["GP"]
    assert not scrub(make_claim(clean), ["MOD002"])


# MOD003 ------------------------------------------------------------------------------------


def test_assistant_line_without_co(clean):
    clean["lines"][0]["furnished_by_assistant"] = True
    claim = make_claim(clean)
    findings = scrub(claim, ["MOD003"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MOD003", 1, "error")]
    assert "has no CO modifier" in findings[0].message and "1 Jan 2020" in findings[0].message
    new, _, result = fixed(claim, ["MOD003"])
    assert new.lines[0].modifiers == ("GO", "CO") and not result.findings
    assert not scrub(claim, ["MOD003"], assistant_modifier_required_from=None)


def test_cq_on_an_ot_claim_and_co_without_an_assistant(clean):
    clean["lines"][0].update(modifiers=["GO", "CQ"], furnished_by_assistant=True)
    claim = make_claim(clean)
    findings = scrub(claim, ["MOD003"])
    assert [f.severity.value for f in findings] == ["error"] and "use CO" in findings[0].message
    new, _, _ = fixed(claim, ["MOD003"])
    assert new.lines[0].modifiers == ("GO", "CO")
    clean["lines"][0].update(modifiers=["GO", "CO"], furnished_by_assistant=False)
    findings = scrub(make_claim(clean), ["MOD003"])
    assert [f.severity.value for f in findings] == ["warning"] and "85%" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE


# MOD004 ------------------------------------------------------------------------------------


def test_duplicate_modifier_is_removed(clean):
    clean["lines"][0]["modifiers"] = ["GO", "KX", "GO"]
    claim = make_claim(clean)
    findings = scrub(claim, ["MOD004"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MOD004", 1, "error")]
    assert "repeats GO" in findings[0].message
    new, _, result = fixed(claim, ["MOD004"])
    assert new.lines[0].modifiers == ("GO", "KX") and not result.findings


def test_contradictory_modifiers(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, modifiers=["GO", "59", "XU"]),
        dict(line, modifiers=["GO", "GP"]),
        dict(line, modifiers=["GO", "95", "GT"]),
        dict(line, modifiers=["GO", "KX", "59", "CO", "95"]),
    ]
    findings = scrub(make_claim(clean), ["MOD004"])
    assert [f.line for f in findings] == [1, 2, 3, 4]
    assert "59 and XU" in findings[0].message
    assert "discipline" in findings[1].message
    assert "telehealth modality" in findings[2].message
    assert "5 modifiers" in findings[3].message


# MOD005 ------------------------------------------------------------------------------------


def test_unknown_and_out_of_date_modifiers(clean):
    clean["lines"][0]["modifiers"] = ["G0"]
    findings = scrub(make_claim(clean), ["MOD005"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MOD005", 1, "error")]
    assert "'G0'" in findings[0].message
    clean["lines"][0].update(modifiers=["GO", "CO"], date="2019-06-03")
    findings = scrub(make_claim(clean), ["MOD005"])
    assert len(findings) == 1 and "'CO'" in findings[0].message
    assert "3 Jun 2019" in findings[0].message


@settings(max_examples=60, deadline=None)
@given(mod=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
def test_mod005_agrees_with_the_modifier_table(mod):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["lines"][0]["modifiers"] = [mod]
    claim = make_claim(data)
    fired = bool(scrub(claim, ["MOD005"]))
    assert fired == (not modifiers.is_valid(mod, claim.lines[0].date))
