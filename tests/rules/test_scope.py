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
