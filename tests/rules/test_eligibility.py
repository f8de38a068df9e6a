"""The eligibility family: no or stale eligibility check, inactive coverage."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from otbill.rules.registry import Severity
from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_eligibility_findings(clean):
    assert not scrub(make_claim(clean), select=["ELG"])


def test_no_eligibility_check(clean):
    clean["eligibility"] = None
    findings = scrub(make_claim(clean), select=["ELG"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("ELG001", None, Severity.ERROR)]
    assert findings[0].message.startswith("no eligibility check is recorded")
    assert "14 Feb 2025" in findings[0].message


def test_stale_eligibility_check_is_a_warning(clean):
    clean["eligibility"]["verified_on"] = "2024-12-01"
    findings = scrub(make_claim(clean), select=["ELG"])
    assert [(f.rule, f.severity) for f in findings] == [("ELG001", Severity.WARNING)]
    msg = findings[0].message
    assert "1 Dec 2024" in msg and "14 Feb 2025" in msg and "75 days" in msg and "30" in msg


def test_eligibility_boundary_and_after_the_visit(clean):
    clean["eligibility"]["verified_on"] = "2025-01-15"  # exactly 30 days before
    assert not scrub(make_claim(clean), select=["ELG001"])
    clean["eligibility"]["verified_on"] = "2025-01-14"  # 31 days
    assert [f.rule for f in scrub(make_claim(clean), select=["ELG001"])] == ["ELG001"]
    clean["eligibility"]["verified_on"] = "2025-02-18"  # after the visit: confirms coverage
    assert not scrub(make_claim(clean), select=["ELG001"])


@given(st.integers(min_value=-30, max_value=400))
def test_staleness_follows_the_profile(offset):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    verified = dt.date(2025, 2, 14) - dt.timedelta(days=offset)
    data["eligibility"]["verified_on"] = verified.isoformat()
    findings = scrub(make_claim(data), select=["ELG001"])
    assert bool(findings) == (offset > 30)


def test_inactive_coverage(clean):
    clean["eligibility"]["active"] = False
    findings = scrub(make_claim(clean), select=["ELG"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("ELG002", None, Severity.ERROR)]
    assert "found Medicare Part B coverage inactive" in findings[0].message
    assert "1 Feb 2025" in findings[0].message
    # an inactive result is not also reported as stale
    clean["eligibility"]["verified_on"] = "2024-06-01"
    assert [f.rule for f in scrub(make_claim(clean), select=["ELG"])] == ["ELG002"]


def _reported(clean, **figures):
    clean["eligibility"].update(figures)
    return make_claim(clean)


def test_a_visit_after_the_plan_end_the_271_gave(clean):
    claim = _reported(clean, plan_begin="2025-01-01", plan_end="2025-02-13")
    findings = scrub(claim, select=["ELG"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("ELG003", 1, Severity.ERROR)]
    assert findings[0].message.startswith("line 1 (97530 on 14 Feb 2025): the plan ended on "
                                          "13 Feb 2025")  # fmt: skip
    assert "answer of 1 Feb 2025" in findings[0].message
    assert not scrub(_reported(clean, plan_end="2025-02-14"), select=["ELG003"])


def test_a_visit_before_the_plan_begins(clean):
    (finding,) = scrub(_reported(clean, plan_begin="2025-03-01"), select=["ELG003"])
    assert "the plan only begins on 1 Mar 2025" in finding.message


def test_an_inactive_271_is_reported_once_by_elg002(clean):
    claim = _reported(clean, active=False, plan_end="2025-01-31")
    assert [f.rule for f in scrub(claim, select=["ELG"])] == ["ELG002"]


def _history(*dates, payer="00882"):
    return [{"claim_id": f"CLM-{i}", "date": d, "code": "97530", "rendering_npi": "1245319599",
             "units": 1, "payer_id": payer} for i, d in enumerate(dates)]  # fmt: skip


def test_visits_beyond_the_limit_the_271_reported_count_visits_billed_since(clean):
    payer = make_claim(clean).payer.payer_id
    clean["history"] = _history("2025-02-03", "2025-02-10", payer=payer)
    claim = _reported(clean, visit_limit=20, visits_used=18)
    (finding,) = scrub(claim, select=["ELG"])
    assert (finding.rule, finding.line, finding.severity) == ("ELG003", 1, Severity.ERROR)
    assert finding.message.startswith("line 1 (97530 on 14 Feb 2025) would be visit 21 of the "
                                      "20 therapy visits")  # fmt: skip
    assert "18 used then, 2 billed since" in finding.message
    assert not scrub(_reported(clean, visits_used=17), select=["ELG003"])  # visit 20: the last


def test_visits_before_the_check_or_to_another_payer_do_not_count(clean):
    clean["history"] = _history("2025-01-20", "2025-01-27") + _history("2025-02-05", payer="X9")
    assert not scrub(_reported(clean, visit_limit=20, visits_used=19), select=["ELG003"])


def test_no_figures_from_a_271_no_finding(clean):
    assert not scrub(_reported(clean, visit_limit=20), select=["ELG003"])  # used not given


def test_a_stale_check_is_named_as_outside_the_payers_window(clean):
    clean["eligibility"]["verified_on"] = "2024-12-01"
    (finding,) = scrub(make_claim(clean), select=["ELG001"])
    assert finding.message.startswith("no eligibility check within the 30 days before the visit "
                                      "that payer profile")  # fmt: skip
