"""The authorization family: missing authorization, dates and visits outside it, visit limits."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.rules.registry import Severity
from support.claimkit import codes, make_claim, scrub

PROFILES = ["medicare", "commercial-in-network", "commercial-out-of-network", "medicaid-example"]


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_claim_has_no_authorization_findings(clean, profile):
    clean["payer"]["profile"] = profile
    assert not scrub(make_claim(clean), select=["AUT"])


# AUT001 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["commercial-in-network", "medicaid-example"])
def test_missing_authorization_when_required(clean, profile):
    clean["payer"]["profile"] = profile
    clean["prior_authorization"] = None
    findings = scrub(make_claim(clean), select=["AUT001"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("AUT001", None, Severity.ERROR)]
    assert "visit 7" in findings[0].message
    assert profile in findings[0].message
    assert findings[0].fix is not None and not findings[0].fix.edits


def test_medicare_needs_no_authorization(clean):
    clean["prior_authorization"] = None
    assert not scrub(make_claim(clean), select=["AUT"])


def test_medicaid_evaluation_visit_needs_no_authorization(clean):
    clean["payer"]["profile"] = "medicaid-example"
    clean["prior_authorization"] = None
    clean["visit_number"] = 1
    assert not scrub(make_claim(clean), select=["AUT001"])
    clean["visit_number"] = 2
    assert codes(scrub(make_claim(clean), select=["AUT001"])) == {"AUT001"}


def test_medicaid_without_visit_number(clean):
    clean["payer"]["profile"] = "medicaid-example"
    clean["prior_authorization"] = None
    clean["visit_number"] = None
    assert codes(scrub(make_claim(clean), select=["AUT001"])) == {"AUT001"}
    # a claim billing only an initial evaluation is the evaluation visit
    clean["lines"][0].update(code="97165", minutes=45, units=1)
    assert not scrub(make_claim(clean), select=["AUT001"])


def test_void_claim_needs_no_authorization(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"] = None
    clean["frequency_code"] = "8"
    clean["original_claim_number"] = "ICN123"
    assert not scrub(make_claim(clean), select=["AUT"])


# AUT002 ---------------------------------------------------------------------------------------


def test_line_outside_authorization_dates(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"]["to"] = "2025-02-10"
    findings = scrub(make_claim(clean), select=["AUT002"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("AUT002", 1, Severity.ERROR)]
    assert "14 Feb 2025" in findings[0].message and "10 Feb 2025" in findings[0].message
    assert "A123" in findings[0].message


def test_authorization_dates_are_inclusive(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"].update({"from": "2025-02-14", "to": "2025-02-14"})
    assert not scrub(make_claim(clean), select=["AUT002"])


def test_outside_authorization_only_info_when_not_required(clean):
    clean["prior_authorization"]["from"] = "2025-02-15"
    findings = scrub(make_claim(clean), select=["AUT002"])
    assert [(f.line, f.severity) for f in findings] == [(1, Severity.INFO)]


def test_only_lines_outside_are_reported(clean):
    clean["payer"]["profile"] = "medicaid-example"
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, date="2025-04-01")]
    findings = scrub(make_claim(clean), select=["AUT002"], today=dt.date(2025, 4, 3))
    assert [f.line for f in findings] == [2]


# AUT003 ---------------------------------------------------------------------------------------


def test_authorized_visits_exhausted(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"]["visits_used"] = 12
    findings = scrub(make_claim(clean), select=["AUT003"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("AUT003", 1, Severity.ERROR)]
    assert "visit 13" in findings[0].message and "allows 12" in findings[0].message


def test_each_claim_date_counts_as_a_visit(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"]["visits_used"] = 10
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, date="2025-02-10"),
        dict(line, date="2025-02-10", code="97535", minutes=15, units=1),
        dict(line, date="2025-02-12"),
        dict(line, date="2025-02-14"),
    ]
    findings = scrub(make_claim(clean), select=["AUT003"])
    assert [(f.line, f.severity) for f in findings] == [(4, Severity.ERROR)]
    assert "14 Feb 2025" in findings[0].message


def test_last_authorized_visits_are_info(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    for used, left in ((10, 1), (11, 0)):
        clean["prior_authorization"]["visits_used"] = used
        findings = scrub(make_claim(clean), select=["AUT003"])
        assert [(f.line, f.severity) for f in findings] == [(None, Severity.INFO)]
        assert f"{left} left" in findings[0].message
    clean["prior_authorization"]["visits_used"] = 9
    assert not scrub(make_claim(clean), select=["AUT003"])


def test_visits_not_limited_or_not_required(clean):
    clean["prior_authorization"]["visits_used"] = 12
    findings = scrub(make_claim(clean), select=["AUT003"])  # Medicare: not required
    assert [f.severity for f in findings] == [Severity.INFO]
    clean["prior_authorization"]["visits_used"] = 11
    assert not scrub(make_claim(clean), select=["AUT003"])  # no reminder when not required
    clean["payer"]["profile"] = "commercial-in-network"
    clean["prior_authorization"]["visits_authorized"] = None
    clean["prior_authorization"]["visits_used"] = 50
    assert not scrub(make_claim(clean), select=["AUT003"])


# AUT004 ---------------------------------------------------------------------------------------


def _history(n, year=2025, start=dt.date(2025, 1, 2), **extra):
    return [
        {"claim_id": f"H{k}", "date": (start + dt.timedelta(days=k)).isoformat(), "code": "97530",
         "rendering_npi": "1245319599", **extra}
        for k in range(n)
    ]  # fmt: skip


def test_visit_limit_exceeded(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["history"] = _history(30)
    findings = scrub(make_claim(clean), select=["AUT004"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("AUT004", 1, Severity.ERROR)]
    msg = findings[0].message
    assert "visit 31" in msg and "limit of 30" in msg and "30 already billed" in msg


def test_visit_limit_last_visit_is_info(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    clean["history"] = _history(29)
    findings = scrub(make_claim(clean), select=["AUT004"])
    assert [(f.line, f.severity) for f in findings] == [(None, Severity.INFO)]
    clean["history"] = _history(28)
    assert not scrub(make_claim(clean), select=["AUT004"])


def test_visit_limit_counts_distinct_dates_of_this_year_and_payer(clean):
    clean["payer"]["profile"] = "commercial-in-network"
    history = _history(29)
    history += [dict(h, code="97535", claim_id="X" + h["claim_id"]) for h in history]  # same days
    history += _history(10, start=dt.date(2024, 3, 1))  # last year
    history += [dict(h, payer_id="OTHER") for h in _history(10, start=dt.date(2025, 2, 1))]
    history.append({"claim_id": "CLM-0001", "date": "2025-02-11", "code": "97530"})  # this claim
    history.append({"claim_id": "H0", "date": "2025-02-14", "code": "97530"})  # same date
    clean["history"] = history
    findings = scrub(make_claim(clean), select=["AUT004"])
    assert [f.severity for f in findings] == [Severity.INFO]  # 29 + this visit = 30


def test_medicare_has_no_visit_limit(clean):
    clean["history"] = _history(40)
    assert not scrub(make_claim(clean), select=["AUT004"])
