"""The scope family: codes outside the claim's discipline."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.codes import cpt
from support.claimkit import codes, make_claim, scrub

DOS = dt.date(2025, 2, 14)
_IN_FORCE = sorted(info.code for info in cpt.all_codes() if info.effective_on(DOS))


def test_clean_claim_has_no_scope_findings(clean):
    assert not {c for c in codes(scrub(make_claim(clean))) if c.startswith("SCP")}


def test_pt_evaluation_on_an_ot_claim(clean):
    clean["lines"][0].update(code="97161", minutes=40, units=1)
    findings = scrub(make_claim(clean), select=["SCP001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("SCP001", 1, "error")]
    assert "97161" in findings[0].message and "physical therapy" in findings[0].message
    assert findings[0].fix is not None and "97165" in findings[0].fix.description


def test_slp_and_em_codes_name_their_owner(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        line,
        dict(line, code="92507", minutes=30, units=1),
        dict(line, code="98016", minutes=8, units=1),
    ]
    findings = scrub(make_claim(clean), select=["SCP001"])
    assert [f.line for f in findings] == [2, 3]
    assert "speech-language pathology" in findings[0].message
    assert "evaluation and management" in findings[1].message


def test_scope_follows_the_claims_discipline(clean):
    clean["discipline"] = "PT"
    clean["lines"][0].update(code="97161", minutes=40, units=1, modifiers=["GP"])
    assert not scrub(make_claim(clean), select=["SCP001"])
    clean["lines"][0]["code"] = "97165"
    findings = scrub(make_claim(clean), select=["SCP001"])
    assert [f.rule for f in findings] == ["SCP001"] and "PT claim" in findings[0].message


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from(_IN_FORCE))
def test_scope_matches_the_catalog(code):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["lines"][0].update(code=code, minutes=30, units=1)
    fired = bool(scrub(make_claim(data), select=["SCP001"]))
    assert fired == ("OT" not in cpt.lookup(code, DOS).disciplines)


# SCP002 (issue 11 item 30) --------------------------------------------------------------------


def _evaluation(clean, **changes):
    clean["lines"][0].update(code="97165", minutes=45, units=1, **changes)
    clean["documentation"].update(note_type="evaluation", evaluation_complexity="low")
    return make_claim(clean)


def test_evaluation_furnished_by_an_assistant_with_co_is_not_payable(clean):
    findings = scrub(_evaluation(clean, modifiers=["GO", "CO"], furnished_by_assistant=True),
                     select=["SCP"])  # fmt: skip
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("SCP002", 1, "error")]
    assert findings[0].message.startswith("line 1 (97165 on 14 Feb 2025) is an evaluation")
    assert "§230.2" in findings[0].source


def test_co_alone_or_an_assistant_rendering_marks_the_evaluation(clean):
    assert [f.rule for f in scrub(_evaluation(clean, modifiers=["GO", "CO"]), select=["SCP002"])]
    clean["rendering_provider"]["credential"] = "COTA"
    findings = scrub(_evaluation(clean, modifiers=["GO"]), select=["SCP002"])
    assert [f.rule for f in findings] == ["SCP002"] and "(COTA)" in findings[0].message


def test_reevaluation_by_an_assistant_and_evaluation_by_the_therapist(clean):
    clean["lines"][0].update(code="97168", minutes=30, units=1, modifiers=["GO", "CO"])
    findings = scrub(make_claim(clean), select=["SCP002"])
    assert [f.rule for f in findings] == ["SCP002"] and "a re-evaluation" in findings[0].message
    clean["lines"][0]["modifiers"] = ["GO"]
    assert not scrub(make_claim(clean), select=["SCP002"])


def test_an_assistants_treatment_is_not_this_rules_business(clean):
    clean["lines"][0].update(modifiers=["GO", "CO"], furnished_by_assistant=True)
    assert not scrub(make_claim(clean), select=["SCP002"])
