"""The MUE family: units of a code on one date against its Medically Unlikely Edit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.payers import load_profiles
from otbill.refdata.store import load_mue
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_claim
from otbill.rules.registry import load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, clean_claim_data, make_claim, scrub


def _lines(clean, *specs):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code=code, minutes=None, units=units) for code, units in specs]
    return make_claim(clean)


def test_clean_claim_has_no_mue_findings(clean):
    assert not scrub(make_claim(clean), select=["MUE"])


def test_97530_over_6_units(clean):
    findings = scrub(_lines(clean, ("97530", 7)), select=["MUE001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("MUE001", 1, "error")]
    message = findings[0].message
    assert message.startswith("line 1 (97530 on 14 Feb 2025) bills 7 units of 97530")
    assert "allows 6 units on one day" in message and "may be appealed" in message


def test_at_the_limit_is_fine(clean):
    assert not scrub(_lines(clean, ("97530", 6), ("97110", 6), ("97112", 4)), select=["MUE001"])


def test_units_are_summed_over_the_day(clean):
    findings = scrub(_lines(clean, ("97112", 3), ("97110", 1), ("97112", 2)), select=["MUE001"])
    assert [(f.line, f.rule) for f in findings] == [(1, "MUE001")]
    assert findings[0].message.startswith("lines 1 and 3 (97112 on 14 Feb 2025) together bill 5")
    assert "allows 4 units" in findings[0].message


def test_evaluation_twice_is_a_policy_edit(clean):
    findings = scrub(_lines(clean, ("97165", 2)), select=["MUE001"])
    assert len(findings) == 1 and "set by policy" in findings[0].message
    assert "cannot be appealed" in findings[0].message


def test_group_therapy_one_unit(clean):
    assert [f.rule for f in scrub(_lines(clean, ("97150", 2)), select=["MUE001"])] == ["MUE001"]


def test_mue_of_zero(clean):
    findings = scrub(_lines(clean, ("97169", 1)), select=["MUE001"])
    assert len(findings) == 1 and "allows no unit" in findings[0].message


def test_different_dates_are_separate(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, units=4, minutes=None),
        dict(line, units=4, minutes=None, date="2025-02-13"),
    ]
    assert not scrub(make_claim(clean), select=["MUE001"])


def test_silent_without_table_or_when_profile_says_no(clean):
    claim = _lines(clean, ("97530", 9))
    rules = select_rules(load_rules(), ["MUE"])
    profiles = load_profiles()
    assert not scrub_claim(claim, ScrubContext(profiles, TODAY), rules).findings  # no table
    table = load_mue(claim.lines[0].date, [])
    assert scrub_claim(claim, ScrubContext(profiles, TODAY, mue=table), rules).findings
    profiles["medicare"] = profiles["medicare"].model_copy(update={"mue": False})
    assert not scrub_claim(claim, ScrubContext(profiles, TODAY, mue=table), rules).findings


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=4))
def test_fires_exactly_when_the_day_total_exceeds_6(units):
    claim = _lines(clean_claim_data(), *[("97530", u) for u in units])
    fired = bool(scrub(claim, select=["MUE001"]))
    assert fired == (sum(units) > 6)


# Issue 11 item 32: MUE and PFS status apply as the payer profile says -------------------------


def _profile(tmp_path, text):
    (tmp_path / "plan.yaml").write_text(text)
    return load_profiles([tmp_path])


def test_a_commercial_profile_applies_cms_mue_only_when_it_opts_in(clean, tmp_path):
    clean["payer"]["profile"] = "commercial-in-network"
    claim = _lines(clean, ("97530", 9))
    assert not scrub(claim, select=["MUE001"])
    profiles = _profile(tmp_path, "name: acme\ninherits: commercial-in-network\nmue: true\n")
    rules = select_rules(load_rules(), ["MUE001"])
    table = load_mue(claim.lines[0].date, [])
    acme = make_claim(dict(clean, payer=dict(clean["payer"], profile="acme")))
    run = ScrubContext(profiles, TODAY, mue=table)
    assert [f.rule for f in scrub_claim(acme, run, rules).findings] == ["MUE001"]


def test_a_medicare_only_status_never_makes_a_covered_code_unpayable(clean, tmp_path):
    """97014 is status I for Medicare (MUE 0 by Medicare policy); a payer that covers it pays."""
    clean["payer"]["profile"] = "commercial-in-network"
    claim = _lines(clean, ("97014", 1))
    assert not scrub(claim, select=["MUE001", "COD004"])
    profiles = _profile(tmp_path, "name: acme\ninherits: commercial-in-network\nmue: true\n")
    acme = make_claim(dict(clean, payer=dict(clean["payer"], profile="acme")))
    run = ScrubContext(profiles, TODAY, mue=load_mue(claim.lines[0].date, []))
    assert not scrub_claim(acme, run, select_rules(load_rules(), ["MUE001", "COD004"])).findings
    clean["payer"]["profile"] = "medicaid-example"
    assert not scrub(_lines(clean, ("97014", 1)), select=["MUE001", "COD004"])


def test_medicare_applies_mue_and_pfs_status_to_97014(clean):
    findings = scrub(_lines(clean, ("97014", 1)), select=["MUE001", "COD004"])
    assert sorted(f.rule for f in findings) == ["COD004", "MUE001"]
