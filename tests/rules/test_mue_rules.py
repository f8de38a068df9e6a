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
    assert "97530" in message and "7 units" in message and "MUE of 6" in message
    assert "MAI 3" in message and "appealed" in message


def test_at_the_limit_is_fine(clean):
    assert not scrub(_lines(clean, ("97530", 6), ("97110", 6), ("97112", 4)), select=["MUE001"])


def test_units_are_summed_over_the_day(clean):
    findings = scrub(_lines(clean, ("97112", 3), ("97110", 1), ("97112", 2)), select=["MUE001"])
    assert [(f.line, f.rule) for f in findings] == [(1, "MUE001")]
    assert "lines 1, 3 together" in findings[0].message and "MUE of 4" in findings[0].message


def test_evaluation_twice_is_a_policy_edit(clean):
    findings = scrub(_lines(clean, ("97165", 2)), select=["MUE001"])
    assert len(findings) == 1 and "MAI 2" in findings[0].message
    assert "cannot be appealed" in findings[0].message


def test_group_therapy_one_unit(clean):
    assert [f.rule for f in scrub(_lines(clean, ("97150", 2)), select=["MUE001"])] == ["MUE001"]


def test_mue_of_zero(clean):
    findings = scrub(_lines(clean, ("97169", 1)), select=["MUE001"])
    assert len(findings) == 1 and "MUE of 0" in findings[0].message


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
