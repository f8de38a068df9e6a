"""The diagnosis family: presence, validity, billability, pointers, count and repeats."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_diagnosis_findings(clean):
    assert not scrub(make_claim(clean), select=["DGN"])


def test_no_diagnosis(clean):
    clean["diagnoses"] = []
    findings = scrub(make_claim(clean), select=["DGN"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("DGN001", None, "error")]
    assert "diagnoses" in findings[0].message


def test_invalid_and_malformed_diagnoses(clean):
    clean["diagnoses"] = ["M62.81", "M62.91", "62.81"]
    clean["lines"][0]["dx_pointers"] = [1]
    findings = scrub(make_claim(clean), select=["DGN"])
    assert [(f.rule, f.severity.value) for f in findings] == [("DGN002", "error")] * 2
    assert findings[0].message.startswith("diagnosis 2 (M62.91): ")
    assert "diagnosis 3 (62.81)" in findings[1].message and "not shaped" in findings[1].message


def test_icd10_before_october_2015(clean):
    clean["lines"][0]["date"] = "2015-06-01"
    findings = scrub(make_claim(clean), select=["DGN002"])
    assert len(findings) == 2 and "ICD-9-CM" in findings[0].message


def test_header_code_is_not_billable(clean):
    clean["diagnoses"] = ["M62.8", "R26.89"]
    findings = scrub(make_claim(clean), select=["DGN"])
    assert [(f.rule, f.severity.value) for f in findings] == [("DGN003", "error")]
    assert findings[0].message.startswith("diagnosis 1 (M62.8) is a category heading")
    assert findings[0].fix is not None and "M62.8" in findings[0].fix.description
    assert "for example M62.8" in findings[0].fix.description  # a billable child, e.g. M62.81
    assert not findings[0].fix.edits


def test_diagnosis_codes_are_compared_loosely(clean):
    clean["diagnoses"] = ["m6281", " R26.89 "]
    assert not scrub(make_claim(clean), select=["DGN"])


def test_pointer_past_the_diagnoses(clean):
    clean["lines"][0]["dx_pointers"] = [1, 3]
    findings = scrub(make_claim(clean), select=["DGN"])
    assert [(f.rule, f.line) for f in findings] == [("DGN004", 1)]
    assert findings[0].message == (
        "line 1 (97530 on 14 Feb 2025): it points to diagnosis 3, but the claim lists only 2"
    )


def test_repeated_empty_and_too_many_pointers(clean):
    clean["diagnoses"] = ["M62.81", "R26.89", "R27.8", "M25.511", "M25.611"]
    clean["lines"][0]["dx_pointers"] = [1, 1]
    assert "points to diagnosis 1 twice" in scrub(make_claim(clean), select=["DGN004"])[0].message
    clean["lines"][0]["dx_pointers"] = []
    assert "points to no diagnosis" in scrub(make_claim(clean), select=["DGN004"])[0].message
    clean["lines"][0]["dx_pointers"] = [1, 2, 3, 4, 5]
    assert "a line can point to 4 at most" in scrub(make_claim(clean), select=["DGN004"])[0].message
    clean["lines"][0]["dx_pointers"] = [1, 2, 3, 4]
    assert not scrub(make_claim(clean), select=["DGN004"])


def test_pointers_are_left_to_dgn001_without_diagnoses(clean):
    clean["diagnoses"] = []
    assert [f.rule for f in scrub(make_claim(clean), select=["DGN"])] == ["DGN001"]


def test_too_many_diagnoses(clean):
    twelve = ["M62.81", "R26.89", "R27.8", "M25.511", "M25.512", "M25.611", "M25.612",
              "M79.641", "M79.642", "R29.6", "G81.90", "I69.351"]  # fmt: skip
    clean["diagnoses"] = twelve
    assert not scrub(make_claim(clean), select=["DGN005"])
    clean["diagnoses"] = [*twelve, "M62.50"]
    findings = scrub(make_claim(clean), select=["DGN005"])
    assert [(f.rule, f.severity.value) for f in findings] == [("DGN005", "error")]
    assert "13" in findings[0].message and "M62.50" in findings[0].message


def test_duplicate_diagnosis(clean):
    clean["diagnoses"] = ["M62.81", "R26.89", "m6281"]
    findings = scrub(make_claim(clean), select=["DGN"])
    assert [(f.rule, f.severity.value) for f in findings] == [("DGN006", "warning")]
    assert findings[0].message == "diagnosis 3 (m6281) repeats diagnosis 1 (M62.81)"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=6))
def test_pointer_rule_matches_its_definition(pointers):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["lines"][0]["dx_pointers"] = pointers
    fired = bool(scrub(make_claim(data), select=["DGN004"]))
    ok = max(pointers) <= 2 and len(set(pointers)) == len(pointers) and len(pointers) <= 4
    assert fired == (not ok)


# DGN007 (issue 11 item 31) --------------------------------------------------------------------


def test_external_cause_code_listed_first(clean):
    clean["diagnoses"] = ["W19.XXXD", "M62.81"]
    findings = scrub(make_claim(clean), select=["DGN007"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("DGN007", None, "error")]
    assert "W19.XXXD is an external-cause code" in findings[0].message
    assert "list M62.81 first" in findings[0].fix.description
    assert "I.C.20" in findings[0].source


def test_external_cause_code_after_the_condition_passes(clean):
    clean["diagnoses"] = ["M62.81", "W19.XXXD", "Y93.01"]
    assert not scrub(make_claim(clean), select=["DGN007"])


@given(st.sampled_from(["V00.01XD", "W01.0XXA", "X50.0XXA", "Y92.009", "Y99.8"]))
@settings(max_examples=10, deadline=None)
def test_every_chapter_20_letter_is_an_external_cause(code):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["diagnoses"] = [code]
    assert [f.rule for f in scrub(make_claim(data), select=["DGN007"])] == ["DGN007"]
