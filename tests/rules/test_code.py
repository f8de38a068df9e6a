"""The code family: unknown codes, codes out of force, two evaluations, Medicare PFS status."""

from __future__ import annotations

from support.claimkit import codes, make_claim, scrub


def test_clean_claim_has_no_code_findings(clean):
    assert not {c for c in codes(scrub(make_claim(clean))) if c.startswith("COD")}


def test_unknown_and_malformed_codes(clean):
    clean["lines"][0]["code"] = "97350"
    findings = scrub(make_claim(clean), select=["COD001"])
    assert [(f.rule, f.line) for f in findings] == [("COD001", 1)]
    assert "97350" in findings[0].message
    clean["lines"][0]["code"] = "9753O"
    assert "9753O" in scrub(make_claim(clean), select=["COD001"])[0].message


def test_deleted_code_on_its_date_of_service(clean):
    clean["lines"][0]["code"] = "97127"
    findings = scrub(make_claim(clean), select=["COD"])
    assert [f.rule for f in findings] == ["COD002"]
    assert "31 Dec 2019" in findings[0].message
    clean["lines"][0]["date"] = "2019-06-03"
    assert not scrub(make_claim(clean), select=["COD002"], today=make_claim(clean).lines[0].date)


def test_two_evaluations_in_one_day(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        dict(line, code="97165", minutes=45, units=1),
        dict(line, code="97168", minutes=30, units=1),
    ]
    findings = scrub(make_claim(clean), select=["COD003"])
    assert [(f.rule, f.line) for f in findings] == [("COD003", 2)]
    clean["lines"] = [dict(line, code="97165", minutes=45, units=1)]
    assert not scrub(make_claim(clean), select=["COD003"])
    clean["history"].append({"claim_id": "CLM-0009", "date": line["date"], "code": "97166"})
    assert [f.rule for f in scrub(make_claim(clean), select=["COD003"])] == ["COD003"]


def test_medicare_status_i_and_b(clean):
    line = clean["lines"][0]
    clean["lines"] = [
        line,
        dict(line, code="97014", minutes=15, units=1),
        dict(line, code="97010", minutes=10, units=1),
    ]
    findings = scrub(make_claim(clean), select=["COD004"])
    assert [(f.line, f.severity.value) for f in findings] == [(2, "error"), (3, "warning")]
    assert "G0283" in findings[0].message
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), select=["COD004"])
