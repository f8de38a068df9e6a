"""The NCCI family: PTP edits between codes of one day and provider, and bypass modifiers."""

from __future__ import annotations

import datetime as dt

from otbill.payers import load_profiles
from otbill.refdata.store import load_mue, load_ncci_ptp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, make_claim, scrub


def _run(on: dt.date = dt.date(2025, 2, 14)) -> ScrubContext:
    return ScrubContext(load_profiles(), TODAY, ncci=load_ncci_ptp(on, []), mue=load_mue(on, []))


def _pair(clean, first, second, **extra):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, code=first, minutes=15, units=1),
        dict(line, code=second, minutes=15, units=1, **extra),
    ]
    clean["documentation"]["total_timed_minutes"] = 30
    return clean


def test_clean_claim_has_no_ncci_findings(clean):
    assert not scrub(make_claim(clean), select=["NCC"])


def test_indicator_1_pair_without_modifier(clean):
    claim = make_claim(_pair(clean, "97150", "97530"))
    findings = scrub(claim, select=["NCC001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("NCC001", 2, "error")]
    message = findings[0].message
    for text in ("97530", "column 2", "97150", "column 1", "indicator 1", "14 Feb 2025"):
        assert text in message
    assert "v30.1" in findings[0].source
    assert findings[0].fix is not None
    assert findings[0].fix.applicability is Applicability.UNSAFE  # distinct_service not set


def test_indicator_1_safe_fix_when_distinct(clean):
    claim = make_claim(_pair(clean, "97150", "97530", distinct_service=True))
    [finding] = scrub(claim, select=["NCC001"])
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    rules = select_rules(load_rules(), ["NCC"])
    fixed, applied, result = fix_claim(claim, _run(), rules)
    assert [f.rule for f in applied] == ["NCC001"]
    assert fixed.lines[1].modifiers == ("GO", "59")
    assert not result.findings and claim.lines[1].modifiers == ("GO",)


def test_bypass_modifier_on_either_line_satisfies_indicator_1(clean):
    assert not scrub(
        make_claim(_pair(clean, "97150", "97530", modifiers=["GO", "XU"])), select=["NCC"]
    )
    _pair(clean, "97150", "97530")
    clean["lines"][0]["modifiers"] = ["GO", "59"]
    assert not scrub(make_claim(clean), select=["NCC"])


def test_indicator_0_pair_cannot_be_bypassed(clean):
    claim = make_claim(_pair(clean, "97167", "97165", modifiers=["GO", "59"]))
    findings = scrub(claim, select=["NCC001"])
    assert [(f.line, f.severity.value) for f in findings] == [(2, "error")]
    assert "indicator 0" in findings[0].message and "never paid" in findings[0].message
    assert "modifier 59 cannot bypass it" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.applicability is Applicability.DISPLAY_ONLY


def test_deleted_edit_fires_only_before_its_deletion(clean):
    assert not scrub(make_claim(_pair(clean, "97140", "97530")), select=["NCC001"])
    for line in clean["lines"]:
        line["date"] = "2019-06-01"
    findings = scrub(make_claim(clean), select=["NCC001"], today=dt.date(2019, 6, 5))
    assert [(f.line, f.rule) for f in findings] == [(2, "NCC001")]
    assert "97140" in findings[0].message and "1 Jun 2019" in findings[0].message


def test_no_edit_between_97110_and_97530(clean):
    assert not scrub(make_claim(_pair(clean, "97110", "97530")), select=["NCC001"])


def test_97530_with_97750(clean):
    findings = scrub(make_claim(_pair(clean, "97530", "97750")), select=["NCC001"])
    assert [(f.line, f.rule) for f in findings] == [(2, "NCC001")]
    assert findings[0].message.startswith("line 2 (97750 on 14 Feb 2025) is column 2")


def test_different_rendering_providers_are_not_paired(clean):
    _pair(clean, "97150", "97530")
    clean["lines"][1]["rendering_npi"] = "1558598797"
    assert not scrub(make_claim(clean), select=["NCC001"])


def test_pair_with_history_line_same_day_and_provider(clean):
    clean["lines"][0]["code"] = "97530"
    clean["history"].append(
        {
            "claim_id": "CLM-0002",
            "date": "2025-02-14",
            "code": "97150",
            "rendering_npi": "1245319599",
        }
    )
    findings = scrub(make_claim(clean), select=["NCC001"])
    assert [(f.line, f.rule) for f in findings] == [(1, "NCC001")]
    assert "CLM-0002" in findings[0].message
    clean["history"][-1]["rendering_npi"] = "1558598797"  # another therapist
    assert not scrub(make_claim(clean), select=["NCC001"])


def test_indicator_0_column_2_on_earlier_claim_is_a_warning(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code="97167", minutes=60, units=1)]
    clean["history"].append(
        {
            "claim_id": "CLM-0002",
            "date": "2025-02-14",
            "code": "97165",
            "rendering_npi": "1245319599",
        }
    )
    findings = scrub(make_claim(clean), select=["NCC001"])
    assert [(f.line, f.severity.value) for f in findings] == [(1, "warning")]


def test_profile_without_ncci_is_silent(clean):
    claim = make_claim(_pair(clean, "97150", "97530"))
    run = _run()
    profiles = dict(run.profiles)
    profiles["medicare"] = profiles["medicare"].model_copy(update={"ncci": False})
    run.profiles = profiles
    assert not scrub_claim(claim, run, select_rules(load_rules(), ["NCC"])).findings


def test_bypass_modifier_without_an_edit(clean):
    clean["lines"][0]["modifiers"] = ["GO", "59"]
    findings = scrub(make_claim(clean), select=["NCC"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("NCC002", 1, "warning")]
    assert "59" in findings[0].message and "97530" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.applicability is Applicability.UNSAFE
    assert findings[0].fix.edits[0].value == ("GO",)
    clean["lines"][0]["modifiers"] = ["GO"]
    _pair(clean, "97110", "97530", modifiers=["GO", "XU"])
    assert [f.rule for f in scrub(make_claim(clean), select=["NCC"])] == ["NCC002"]


def test_bypass_modifier_with_an_edit_is_fine(clean):
    assert not scrub(
        make_claim(_pair(clean, "97150", "97530", modifiers=["GO", "59"])), select=["NCC002"]
    )
