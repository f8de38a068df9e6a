"""The units family: the 8-minute rule, untimed codes, missing minutes, thin units, add-ons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.payers import load_profiles
from otbill.refdata.store import load_mue, load_ncci_ptp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from otbill.services.claims.scrub import fixes_allowed
from support.claimkit import TODAY, codes, make_claim, scrub


def fixed(claim, select, *, unsafe=True):
    """Fix with the unsafe fixes too (units are a billed amount: never a safe fix)."""
    run = ScrubContext(profiles=load_profiles(), today=TODAY)
    return fix_claim(claim, run, select_rules(load_rules(), select), fixes_allowed(unsafe=unsafe))


def test_clean_claim_has_no_units_findings(clean):
    assert not {c for c in codes(scrub(make_claim(clean))) if c.startswith("UNT")}


# UNT001 ------------------------------------------------------------------------------------


def test_units_above_the_minutes_are_an_error_and_fixed(clean):
    clean["lines"][0]["units"] = 3
    claim = make_claim(clean)
    findings = scrub(claim, select=["UNT001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("UNT001", 1, "error")]
    message = findings[0].message
    assert (
        "3 units billed for 24 minutes" in message
        and "Medicare's 8-minute rule (the payer's method) gives 2" in message
    )
    assert findings[0].fix.applicability is Applicability.UNSAFE  # units are a billed amount
    same, applied, _ = fixed(claim, ["UNT001"], unsafe=False)
    assert same == claim and not applied
    new, applied, result = fixed(claim, ["UNT001"])
    assert [f.rule for f in applied] == ["UNT001"]
    assert new.lines[0].units == 2 and new.lines[0].charge == claim.lines[0].charge
    assert not result.findings


def test_cms_pools_the_days_minutes(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, code="97112", minutes=24, units=1),
        dict(line, code="97110", minutes=23, units=2),
    ]
    findings = scrub(make_claim(clean), select=["UNT001"])
    assert [(f.line, f.severity.value) for f in findings] == [(1, "error"), (2, "error")]
    assert "47 timed minutes that day" in findings[0].message
    clean["lines"][0]["units"], clean["lines"][1]["units"] = 2, 1
    assert not scrub(make_claim(clean), select=["UNT001"])


def test_per_code_payer_counts_each_code_alone(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, code="97110", minutes=10, units=1),
        dict(line, code="97116", minutes=10, units=1),
    ]
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), select=["UNT001"])
    clean["payer"]["profile"] = "medicare"  # 20 pooled minutes are 1 unit, not 2
    findings = scrub(make_claim(clean), select=["UNT001"])
    assert [(f.line, f.severity.value) for f in findings] == [(2, "error")]


def test_tie_is_the_providers_choice(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, code="97112", minutes=20, units=2),
        dict(line, code="97110", minutes=20, units=1),
    ]
    assert not scrub(make_claim(clean), select=["UNT001"])  # the other allowed split
    clean["lines"][0]["units"], clean["lines"][1]["units"] = 3, 0  # never 3 units of one code
    findings = scrub(make_claim(clean), select=["UNT001"])
    assert {f.severity.value for f in findings} == {"warning"}
    assert "provider" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE


def test_lines_of_one_code_are_added_and_split_by_minutes(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, minutes=15, units=1), dict(line, minutes=15, units=2)]
    claim = make_claim(clean)
    findings = scrub(claim, select=["UNT001"])
    assert [f.line for f in findings] == [1] and findings[0].message.startswith(
        "lines 1 and 2 (97530 on 14 Feb 2025): 3 units"
    )
    new, _, result = fixed(claim, ["UNT001"])
    assert [x.units for x in new.lines] == [1, 1] and not result.findings
    clean["lines"][1]["modifiers"] = ["GO", "CO"]  # not interchangeable: a person splits them
    finding = scrub(make_claim(clean), select=["UNT001"])[0]
    assert finding.fix.applicability is Applicability.DISPLAY_ONLY


def test_per_time_codes_use_their_own_unit(clean):
    clean["lines"][0].update(code="97550", minutes=30, units=2)
    findings = scrub(make_claim(clean), select=["UNT001"])
    assert [f.rule for f in findings] == ["UNT001"] and "30-minute units" in findings[0].message


def test_units_are_not_checked_when_the_days_minutes_are_incomplete(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, units=3), dict(line, code="97110", minutes=None, units=1)]
    assert not scrub(make_claim(clean), select=["UNT001"])


@settings(max_examples=80, deadline=None)
@given(minutes=st.integers(8, 240), delta=st.sampled_from([-1, 0, 1]))
def test_a_single_timed_line_follows_the_unit_table(minutes, delta):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["lines"][0].update(minutes=minutes, units=(minutes + 7) // 15 + delta)
    fired = [f.rule for f in scrub(make_claim(data), select=["UNT001"])]
    assert fired == ([] if delta == 0 else ["UNT001"])


# UNT002 ------------------------------------------------------------------------------------


def test_untimed_code_with_two_units(clean):
    clean["lines"][0].update(code="97165", minutes=50, units=2)
    claim = make_claim(clean)
    findings = scrub(claim, select=["UNT002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("UNT002", 1, "error")]
    assert "97165" in findings[0].message and "2 units" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE  # units are a billed amount
    assert fixed(claim, ["UNT002"], unsafe=False)[0] == claim
    new, _, result = fixed(claim, ["UNT002"])
    assert new.lines[0].units == 1 and not result.findings


def test_untimed_code_on_two_lines(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code="97150", units=1), dict(line, code="97150", units=1)]
    findings = scrub(make_claim(clean), select=["UNT002"])
    assert [f.line for f in findings] == [1]
    assert findings[0].fix.applicability is Applicability.DISPLAY_ONLY
    clean["lines"] = [dict(line, code="97150", minutes=60, units=1)]
    assert not scrub(make_claim(clean), select=["UNT002"])


# UNT003 ------------------------------------------------------------------------------------


def test_timed_line_without_minutes(clean):
    clean["lines"][0]["minutes"] = None
    findings = scrub(make_claim(clean), select=["UNT003"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("UNT003", 1, "error")]
    assert "97530" in findings[0].message and not findings[0].fix.edits
    clean["lines"][0].update(code="97165", units=1)  # untimed: minutes not needed
    assert not scrub(make_claim(clean), select=["UNT003"])


# UNT004 ------------------------------------------------------------------------------------


def _visits(clean, minutes_and_units):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, date=f"2025-02-{day:02d}", minutes=m, units=u)
        for day, (m, u) in zip((3, 10, 14), minutes_and_units, strict=False)
    ]
    return make_claim(clean)


def test_units_maximised_on_every_visit(clean):
    findings = scrub(_visits(clean, [(38, 3), (39, 3), (53, 4)]), select=["UNT004"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("UNT004", None, "warning")]
    assert "3 Feb 2025: 38 min → 3" in findings[0].message


def test_no_thin_units_pattern_without_a_pattern(clean):
    assert not scrub(make_claim(clean), select=["UNT004"])  # one date is no pattern
    assert not scrub(_visits(clean, [(38, 3), (45, 3), (53, 4)]), select=["UNT004"])
    assert not scrub(_visits(clean, [(38, 2), (38, 2)]), select=["UNT004"])  # not maximised


# UNT005 ------------------------------------------------------------------------------------


def test_add_on_without_its_primary(clean):
    clean["lines"][0].update(code="97130", minutes=30, units=2)
    findings = scrub(make_claim(clean), select=["UNT005"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("UNT005", 1, "error")]
    assert "97130" in findings[0].message and "97129" in findings[0].message
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code="97129", minutes=15, units=1), line]
    assert not scrub(make_claim(clean), select=["UNT005"])
    clean["lines"] = [line]
    clean["history"].append({"claim_id": "CLM-0002", "date": line["date"], "code": "97129"})
    assert not scrub(make_claim(clean), select=["UNT005"])


def test_97129_is_billed_once_a_day(clean):
    clean["lines"][0].update(code="97129", minutes=45, units=3)
    findings = scrub(make_claim(clean), select=["UNT005"])
    assert [f.line for f in findings] == [1]
    assert "3 units" in findings[0].message and "97130 × 2" in findings[0].fix.description


# Code families: 97129 then 97130 (issue 11 item 27) ---------------------------------------


def _cognitive(clean, *lines):
    """The claim's line as cognitive intervention: (code, minutes, units) for each line."""
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code=c, minutes=m, units=u) for c, m, u in lines]
    clean["documentation"]["total_timed_minutes"] = sum(m or 0 for _, m, _ in lines)
    clean["documentation"]["total_treatment_minutes"] = sum(m or 0 for _, m, _ in lines)
    return make_claim(clean)


def _fix_everything(claim, *, unsafe):
    run = ScrubContext(profiles=load_profiles(), today=TODAY, ncci=load_ncci_ptp(TODAY, []),
                       mue=load_mue(TODAY, []))  # fmt: skip
    return fix_claim(claim, run, load_rules(), fixes_allowed(unsafe=unsafe))


def test_a_correctly_billed_family_passes_and_the_fixes_leave_it_alone(clean):
    """45 minutes recorded 29 + 16 are billed 97129 × 1 + 97130 × 2: nothing to say or fix."""
    claim = _cognitive(clean, ("97129", 29, 1), ("97130", 16, 2))
    assert not [f for f in scrub(claim) if f.severity.value != "info"]
    for unsafe in (False, True):
        same, applied, result = _fix_everything(claim, unsafe=unsafe)
        assert same == claim and not applied and result.status == "clean"


def test_the_whole_time_recorded_on_the_primary_still_bills_one_primary(clean):
    claim = _cognitive(clean, ("97129", 45, 1), ("97130", 0, 2))
    assert not scrub(claim, select=["UNT", "MUE"])


def test_a_missing_add_on_is_named_with_the_units_it_needs(clean):
    claim = _cognitive(clean, ("97129", 45, 1))
    findings = scrub(claim, select=["UNT001", "UNT005"])
    assert [(f.rule, f.line) for f in findings] == [("UNT001", 1)]
    assert findings[0].message.startswith(
        "line 1 (97129 on 14 Feb 2025) with 97129 and 97130 together: 1 unit billed for 45 "
        "minutes; Medicare's 8-minute rule (the payer's method) gives 97129 × 1 and 97130 × 2"
    )
    assert findings[0].fix.description == "bill 97129 × 1 and 97130 × 2 on 14 Feb 2025"


def test_a_second_primary_unit_moves_to_the_add_on_without_losing_a_unit(clean):
    claim = _cognitive(clean, ("97129", 29, 2), ("97130", 16, 1))
    findings = scrub(claim, select=["UNT001", "UNT005"])
    assert [(f.rule, f.line) for f in findings] == [("UNT005", 1)]
    assert "(with 97130 × 1, 3 units in all)" in findings[0].message
    assert findings[0].fix.description.startswith("bill 97129 × 1 and 97130 × 2")
    new, applied, result = _fix_everything(claim, unsafe=True)
    assert [f.rule for f in applied] == ["UNT005"]
    assert [(ln.code, ln.units) for ln in new.lines] == [("97129", 1), ("97130", 2)]
    assert result.status == "clean"
    safe, _, _ = _fix_everything(claim, unsafe=False)
    assert safe.lines == claim.lines  # units are a billed amount: never a safe fix


@given(st.integers(min_value=8, max_value=45), st.integers(min_value=0, max_value=60))
@settings(max_examples=60, deadline=None)
def test_whatever_the_split_the_engines_units_pass_every_units_rule(first, rest):
    """Up to 105 minutes: within 97130's MUE of 7, so only the units rules could object."""
    from otbill.units import compute_units
    from support.claimkit import clean_claim_data

    result = compute_units([("97129", first), ("97130", rest)])
    lines = [(ln.code, ln.minutes, ln.units) for ln in result.lines if ln.units]
    claim = _cognitive(clean_claim_data(), *lines)
    assert not scrub(claim, select=["UNT", "MUE"])
