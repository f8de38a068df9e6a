"""The plan-of-care family: certification missing, pending or late; plan expired."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.rules.registry import Severity
from support.claimkit import make_claim, scrub


@pytest.mark.parametrize("profile", ["medicare", "commercial-in-network", "medicaid-example"])
def test_clean_claim_has_no_plan_of_care_findings(clean, profile):
    clean["payer"]["profile"] = profile
    assert not scrub(make_claim(clean), select=["POC"])


# POC001 ---------------------------------------------------------------------------------------


def test_no_plan_of_care(clean):
    clean["plan_of_care"] = None
    findings = scrub(make_claim(clean), select=["POC"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("POC001", None, Severity.ERROR)]
    assert findings[0].message.startswith("the claim has no plan of care")
    assert "medicare" in findings[0].source


def test_evaluation_visit_needs_no_plan_yet(clean):
    clean["plan_of_care"] = None
    clean["lines"][0].update(code="97165", minutes=45, units=1)
    assert not scrub(make_claim(clean), select=["POC001"])


def test_uncertified_plan_past_the_deadline(clean):
    clean["plan_of_care"]["certified_on"] = None
    findings = scrub(make_claim(clean), select=["POC001"])
    assert [(f.rule, f.severity) for f in findings] == [("POC001", Severity.ERROR)]
    assert "9 Feb 2025" in findings[0].message and "10 Jan 2025" in findings[0].message


def test_uncertified_plan_within_the_deadline_is_pending(clean):
    clean["plan_of_care"].update(start="2025-02-01", certified_on=None, recert_due=None)
    findings = scrub(make_claim(clean), select=["POC001"])
    assert [(f.severity) for f in findings] == [Severity.WARNING]
    assert "is not signed by the physician and is due to be by 3 Mar 2025" in findings[0].message
    # still uncertified when the deadline has passed by today: an error
    late = scrub(make_claim(clean), select=["POC001"], today=dt.date(2025, 3, 4))
    assert [f.severity for f in late] == [Severity.ERROR]


def test_delayed_certification_is_a_warning(clean):
    clean["plan_of_care"]["certified_on"] = "2025-02-12"
    findings = scrub(make_claim(clean), select=["POC001"])
    assert [(f.severity) for f in findings] == [Severity.WARNING]
    assert "12 Feb 2025" in findings[0].message and "9 Feb 2025" in findings[0].message
    clean["plan_of_care"]["certified_on"] = "2025-02-09"  # on the last day: timely
    assert not scrub(make_claim(clean), select=["POC001"])


def test_payers_without_certification_rules(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["plan_of_care"] = None
    assert not scrub(make_claim(clean), select=["POC"])


# POC002 ---------------------------------------------------------------------------------------


def test_visit_after_recertification_date(clean):
    clean["lines"][0]["date"] = "2025-04-15"
    findings = scrub(make_claim(clean), select=["POC002"], today=dt.date(2025, 4, 20))
    assert [(f.rule, f.line, f.severity) for f in findings] == [("POC002", 1, Severity.ERROR)]
    assert "15 Apr 2025" in findings[0].message and "9 Apr 2025" in findings[0].message


def test_visit_on_recertification_date_is_covered(clean):
    clean["lines"][0]["date"] = "2025-04-09"
    assert not scrub(make_claim(clean), select=["POC002"], today=dt.date(2025, 4, 20))


def test_ninety_days_from_start_without_recert_date(clean):
    clean["plan_of_care"]["recert_due"] = None
    clean["lines"][0]["date"] = "2025-04-09"  # day 90 counting the start as day 1
    assert not scrub(make_claim(clean), select=["POC002"], today=dt.date(2025, 4, 20))
    clean["lines"][0]["date"] = "2025-04-10"
    findings = scrub(make_claim(clean), select=["POC002"], today=dt.date(2025, 4, 20))
    assert [f.line for f in findings] == [1]
    assert "90-day" in findings[0].message and "9 Apr 2025" in findings[0].message
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), select=["POC002"], today=dt.date(2025, 4, 20))


# POC003 (issue 11 item 29) --------------------------------------------------------------------


def test_treatment_before_the_plan_starts(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, date="2025-01-08"), line]
    findings = scrub(make_claim(clean), select=["POC003"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("POC003", 1, Severity.ERROR)]
    assert findings[0].message.startswith(
        "line 1 (97530 on 8 Jan 2025) is dated before the plan of care starts (10 Jan 2025)"
    )
    assert "§220.1.3" in findings[0].source


def test_the_evaluation_that_writes_the_plan_may_come_first(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, date="2025-01-09", code="97165", minutes=45, units=1), line]
    assert not scrub(make_claim(clean), select=["POC003"])


def test_treatment_before_the_plan_is_a_warning_where_no_plan_is_required(clean):
    clean["lines"][0]["date"] = "2025-01-08"
    clean["payer"]["profile"] = "commercial-in-network"
    findings = scrub(make_claim(clean), select=["POC003"])
    assert [(f.rule, f.severity) for f in findings] == [("POC003", Severity.WARNING)]
