"""The timely-filing family: past the limit, close to it, and services dated in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.rules.registry import Severity
from otbill.rules.timely_filing._facts import filing_deadline
from support.claimkit import clean_claim_data, make_claim, scrub

PROFILES = ["medicare", "commercial-in-network", "commercial-out-of-network", "medicaid-example"]


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_claim_has_no_timely_filing_findings(clean, profile):
    clean["payer"]["profile"] = profile
    assert not scrub(make_claim(clean), select=["TFL"])


# TFL001 ---------------------------------------------------------------------------------------


def test_past_the_medicare_limit(clean):
    clean["lines"][0]["date"] = "2024-01-10"
    findings = scrub(make_claim(clean), select=["TFL"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("TFL001", 1, Severity.ERROR)]
    assert "10 Jan 2024" in findings[0].message and "10 Jan 2025" in findings[0].message
    assert "42 CFR 424.44" in findings[0].source


def test_medicare_twelve_months_is_a_calendar_year(clean):
    clean["lines"][0]["date"] = "2024-01-10"  # 366 days before 2025-01-10 (leap year)
    assert not scrub(make_claim(clean), select=["TFL001"], today=dt.date(2025, 1, 10))
    assert scrub(make_claim(clean), select=["TFL001"], today=dt.date(2025, 1, 11))
    assert filing_deadline(dt.date(2024, 2, 29), 365) == dt.date(2025, 2, 28)


def test_past_the_commercial_limit(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["lines"][0]["date"] = "2024-11-01"
    findings = scrub(make_claim(clean), select=["TFL"])
    assert [f.rule for f in findings] == ["TFL001"]
    assert "30 Jan 2025" in findings[0].message and "90-day" in findings[0].message
    clean["payer"]["profile"] = "commercial-out-of-network"  # 180 days: in time
    assert not scrub(make_claim(clean), select=["TFL"])
    clean["lines"][0]["date"] = "2024-09-15"  # day 158 of 180: close
    assert [f.rule for f in scrub(make_claim(clean), select=["TFL"])] == ["TFL002"]


# TFL002 ---------------------------------------------------------------------------------------


def test_near_the_limit(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["lines"][0]["date"] = "2024-12-01"
    findings = scrub(make_claim(clean), select=["TFL"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("TFL002", 1, Severity.WARNING)]
    assert "1 Mar 2025" in findings[0].message and "9 days left" in findings[0].message


def test_near_limit_boundary(clean):
    clean["payer"]["profile"] = "commercial-in-network"  # 90 days: warn from day 72
    clean["lines"][0]["date"] = "2024-12-10"  # day 72 on 2025-02-20
    assert [f.rule for f in scrub(make_claim(clean), select=["TFL002"])] == ["TFL002"]
    clean["lines"][0]["date"] = "2024-12-11"  # day 71
    assert not scrub(make_claim(clean), select=["TFL002"])


@given(st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2025, 2, 20)))
def test_each_past_line_gets_exactly_one_verdict(service):
    data = clean_claim_data()
    data["lines"][0]["date"] = service.isoformat()
    data["history"] = []
    deadline = filing_deadline(service, 365)
    assert deadline >= service + dt.timedelta(days=365)
    found = [f.rule for f in scrub(make_claim(data), select=["TFL"])]
    age = (dt.date(2025, 2, 20) - service).days
    if dt.date(2025, 2, 20) > deadline:
        assert found == ["TFL001"]
    elif age * 5 >= (deadline - service).days * 4:
        assert found == ["TFL002"]
    else:
        assert found == []


# TFL003 ---------------------------------------------------------------------------------------


def test_future_date_of_service(clean):
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, date="2025-12-14")]
    findings = scrub(make_claim(clean), select=["TFL"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("TFL003", 2, Severity.ERROR)]
    assert "14 Dec 2025" in findings[0].message and "20 Feb 2025" in findings[0].message
    assert not scrub(make_claim(clean), select=["TFL003"], today=dt.date(2025, 12, 14))


def test_void_claims_have_no_filing_limit(clean):
    clean["lines"][0]["date"] = "2023-01-10"
    clean["frequency_code"] = "8"
    clean["original_claim_number"] = "ICN1"
    assert not scrub(make_claim(clean), select=["TFL"])
