"""The diagnosis rules check each code against the ICD-10-CM release of the date of service."""

from __future__ import annotations

import datetime as dt

from support.claimkit import make_claim, scrub

DOS = "2021-06-15"  # FY2021: M54.5 billable, M54.50 not yet a code (FY2022)


def _dated(clean, diagnoses):
    clean["diagnoses"] = diagnoses
    for line in clean["lines"]:
        line["date"] = DOS
        line["dx_pointers"] = [1]
    return make_claim(clean)


def test_m54_5_is_billable_on_a_fy2021_date_of_service(clean):
    findings = scrub(_dated(clean, ["M54.5"]), select=["DGN"], today=dt.date(2021, 7, 1))
    assert not findings, [f.message for f in findings]


def test_m54_50_is_not_yet_valid_on_a_fy2021_date_of_service(clean):
    findings = scrub(_dated(clean, ["M54.50"]), select=["DGN"], today=dt.date(2021, 7, 1))
    assert [f.rule for f in findings] == ["DGN002"], [f.message for f in findings]
    message = findings[0].message
    assert "M54.50" in message and ("15 Jun 2021" in message or "2021-06-15" in message)
