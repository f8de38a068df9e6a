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
