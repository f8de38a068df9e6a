"""The progress-report family: a report at least every 10 treatment days (Medicare)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.rules.registry import Severity
from support.claimkit import clean_claim_data, make_claim, scrub


def test_clean_claim_has_no_progress_report_findings(clean):
    assert not scrub(make_claim(clean), select=["PRG"])


def test_report_due_on_the_tenth_treatment_day(clean):
    clean["visit_number"] = 10  # the evaluation (visit 1) opened the period: days 1-10
    findings = scrub(make_claim(clean), select=["PRG001"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("PRG001", None, Severity.WARNING)]
    assert (
        "visit 10 is treatment day 10" in findings[0].message
        and "due on this visit" in findings[0].message
    )


def test_report_overdue(clean):
    clean["visit_number"] = 12
    findings = scrub(make_claim(clean), select=["PRG001"])
    assert [(f.rule, f.severity) for f in findings] == [("PRG001", Severity.ERROR)]
    assert "due by visit 10" in findings[0].message
    assert "daily note" in findings[0].message


def test_period_after_a_report_starts_the_next_visit(clean):
    clean["last_progress_report_visit"] = 10
    clean["visit_number"] = 19
    assert not scrub(make_claim(clean), select=["PRG001"])
    clean["visit_number"] = 20
    assert [f.severity for f in scrub(make_claim(clean), select=["PRG001"])] == [Severity.WARNING]
    clean["visit_number"] = 21
    assert [f.severity for f in scrub(make_claim(clean), select=["PRG001"])] == [Severity.ERROR]


@pytest.mark.parametrize("note_type", ["progress", "re-evaluation", "discharge"])
def test_a_report_on_this_visit_satisfies_it(clean, note_type):
    clean["visit_number"] = 12
    clean["documentation"]["note_type"] = note_type
    assert not scrub(make_claim(clean), select=["PRG001"])


def test_not_checked_without_the_facts_or_for_other_payers(clean):
    clean["visit_number"] = 15
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), select=["PRG001"])
    clean["payer"]["profile"] = "medicare"
    clean["last_progress_report_visit"] = None
    assert not scrub(make_claim(clean), select=["PRG001"])


@given(st.integers(min_value=2, max_value=60), st.integers(min_value=1, max_value=30))
def test_never_reported_within_the_period(last, ahead):
    data = clean_claim_data()
    data["last_progress_report_visit"] = last
    data["visit_number"] = last + min(ahead, 9)
    assert not scrub(make_claim(data), select=["PRG001"])
