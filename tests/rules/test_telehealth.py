"""The telehealth family: the modifier and place of service, allowed codes, stray modifiers."""

from __future__ import annotations

import datetime as dt

from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim
from otbill.rules.registry import Applicability, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import TODAY, codes, make_claim
from support.claimkit import scrub as scrub_all


def scrub(claim, select, **telehealth):
    profiles = load_profiles()
    name = claim.payer.profile
    if telehealth:
        policy = profiles[name].telehealth.model_copy(update=telehealth)
        profiles[name] = profiles[name].model_copy(update={"telehealth": policy})
    run = ScrubContext(profiles=profiles, today=TODAY)
    return list(scrub_claim(claim, run, select_rules(load_rules(), select)).findings)


def fixed(claim, select):
    run = ScrubContext(profiles=load_profiles(), today=TODAY)
    return fix_claim(claim, run, select_rules(load_rules(), select))


def telehealth(clean, place="10", modifiers=("GO", "95")):
    clean["telehealth"] = True
    clean["place_of_service"] = place
    clean["lines"][0]["modifiers"] = list(modifiers)
    return clean


def test_clean_claim_has_no_telehealth_findings(clean):
    assert not {c for c in codes(scrub_all(make_claim(clean))) if c.startswith("TEL")}
    assert not scrub(make_claim(telehealth(clean)), ["TEL"])


# TEL001 ------------------------------------------------------------------------------------


def test_telehealth_line_without_95(clean):
    claim = make_claim(telehealth(clean, modifiers=["GO"]))
    findings = scrub(claim, ["TEL001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("TEL001", 1, "error")]
    assert "has no 95 modifier" in findings[0].message
    new, _, result = fixed(claim, ["TEL001"])
    assert new.lines[0].modifiers == ("GO", "95") and not result.findings


def test_telehealth_place_of_service_alone_makes_a_telehealth_claim(clean):
    clean["place_of_service"] = "02"
    assert [f.rule for f in scrub(make_claim(clean), ["TEL001"])] == ["TEL001"]


def test_gt_is_swapped_for_the_payers_modifier(clean):
    claim = make_claim(telehealth(clean, modifiers=["GO", "GT"]))
    new, _, result = fixed(claim, ["TEL001"])
    assert new.lines[0].modifiers == ("GO", "95") and not result.findings
    assert not scrub(claim, ["TEL001"], modifier="GT")


def test_telehealth_claim_with_an_in_person_place(clean):
    claim = make_claim(telehealth(clean, place="12"))
    findings = scrub(claim, ["TEL001"])
    assert [(f.line, f.severity.value) for f in findings] == [(None, "error")]
    assert "its place of service is 12" in findings[0].message
    new, _, result = fixed(claim, ["TEL001"])
    assert new.place_of_service == "10" and not result.findings
    office = scrub(make_claim(telehealth(clean, place="11")), ["TEL001"])
    assert office[0].fix.applicability is Applicability.UNSAFE


def test_in_person_place_of_service_was_right_before_2024(clean):
    telehealth(clean, place="11")
    clean["lines"][0]["date"] = "2023-05-02"
    assert not scrub(make_claim(clean), ["TEL001"])


# TEL002 ------------------------------------------------------------------------------------


def test_code_not_on_the_medicare_telehealth_list(clean):
    telehealth(clean)
    clean["lines"][0]["code"] = "97140"
    findings = scrub(make_claim(clean), ["TEL002"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("TEL002", 1, "error")]
    assert "97140" in findings[0].message and "Medicare telehealth list" in findings[0].message
    assert not scrub(make_claim(clean), ["TEL002"], codes="any")
    assert [f.rule for f in scrub(make_claim(clean), ["TEL002"], codes=("97530",))] == ["TEL002"]


def test_telehealth_outside_the_payers_window(clean):
    claim = make_claim(telehealth(clean))
    findings = scrub(claim, ["TEL002"], allowed_to=dt.date(2024, 12, 31))
    assert [f.rule for f in findings] == ["TEL002"]
    assert "1 Mar 2020 to 31 Dec 2024" in findings[0].message
    findings = scrub(claim, ["TEL002"], allowed_from=None)
    assert "does not pay therapy by telehealth" in findings[0].message


# TEL003 ------------------------------------------------------------------------------------


def test_telehealth_modifier_on_an_in_person_claim(clean):
    clean["lines"][0]["modifiers"] = ["GO", "95"]
    findings = scrub(make_claim(clean), ["TEL003"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("TEL003", 1, "warning")]
    assert "95" in findings[0].message and "place of service 11" in findings[0].message
    assert findings[0].fix.applicability is Applicability.UNSAFE
    clean["telehealth"] = True
    assert not scrub(make_claim(clean), ["TEL003"])
