"""The provider family: NPI check digits, rendering and referring providers, assistants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.codes import npi
from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_provider_findings(clean):
    assert not scrub(make_claim(clean), select=["PRV"])


def test_invalid_npis_are_named(clean):
    clean["rendering_provider"]["npi"] = "1245319590"
    clean["billing_provider"]["npi"] = "123456789"
    clean["lines"][0]["rendering_npi"] = "3245319599"
    findings = scrub(make_claim(clean), select=["PRV001"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [
        ("PRV001", None, "error"), ("PRV001", None, "error"), ("PRV001", 1, "error"),
    ]  # fmt: skip
    assert "the billing provider's NPI 123456789 is not a valid NPI" in findings[0].message
    assert "the rendering therapist Rita Cole's NPI 1245319590" in findings[1].message
    assert "check digit" in findings[1].message
    assert findings[2].message.startswith(
        "line 1 (97530 on 14 Feb 2025): its rendering NPI 3245319599 is not a valid NPI"
    )


def test_referring_npi(clean):
    clean["referring_provider"]["npi"] = "1003000127"
    findings = scrub(make_claim(clean), select=["PRV001"])
    assert len(findings) == 1 and "the referring provider Sam Ng's NPI" in findings[0].message


@settings(max_examples=50, deadline=None)
@given(st.from_regex(r"[12][0-9]{9}", fullmatch=True))
def test_prv001_agrees_with_the_npi_module(value):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    data["referring_provider"]["npi"] = value
    assert bool(scrub(make_claim(data), select=["PRV001"])) == (not npi.is_valid(value))


def test_missing_rendering_provider(clean):
    clean["rendering_provider"] = None
    findings = scrub(make_claim(clean), select=["PRV002"])
    assert [(f.rule, f.severity.value) for f in findings] == [("PRV002", "error")]
    assert "names no rendering therapist" in findings[0].message
    assert "medicare" in findings[0].message
    clean["lines"][0]["rendering_npi"] = "1245319599"  # named on every line instead
    assert not scrub(make_claim(clean), select=["PRV002"])


def test_missing_referring_provider(clean):
    clean["referring_provider"] = None
    findings = scrub(make_claim(clean), select=["PRV003"])
    assert [(f.rule, f.severity.value) for f in findings] == [("PRV003", "error")]
    assert (
        "names no referring provider" in findings[0].message
        and "payer profile medicare" in findings[0].source
    )
    clean["payer"]["profile"] = "commercial-in-network"
    assert not scrub(make_claim(clean), select=["PRV003"])


def test_assistant_as_rendering_provider(clean):
    clean["rendering_provider"]["credential"] = "COTA/L"
    findings = scrub(make_claim(clean), select=["PRV004"])
    assert [(f.rule, f.severity.value) for f in findings] == [("PRV004", "error")]
    assert (
        "a therapy assistant (COTA/L)" in findings[0].message
        and "1245319599" in findings[0].message
    )
    clean["payer"]["profile"] = "commercial-in-network"
    assert [f.severity.value for f in scrub(make_claim(clean), select=["PRV004"])] == ["warning"]


def test_therapist_credentials_are_fine(clean):
    for credential in ("OTR/L", "OT", "OTD, OTR/L", "MOT", None):
        clean["rendering_provider"]["credential"] = credential
        assert not scrub(make_claim(clean), select=["PRV004"]), credential


# PRV005 (issue 11 item 12) --------------------------------------------------------------------


def test_rendering_therapist_with_the_clinics_billing_npi(clean):
    clean["rendering_provider"]["npi"] = clean["billing_provider"]["npi"]
    clean["lines"][0]["rendering_npi"] = clean["billing_provider"]["npi"]
    findings = scrub(make_claim(clean), select=["PRV"])
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("PRV005", None, "error")]
    assert findings[0].message == (
        "the rendering therapist Rita Cole has the clinic's billing NPI 1234567893: a therapist "
        "who treats needs her own individual NPI, not the clinic's"
    )


def test_a_line_rendered_under_the_clinics_npi_is_named_by_code_and_date(clean):
    clean["lines"][0]["rendering_npi"] = "1234 567893"
    findings = scrub(make_claim(clean), select=["PRV005"])
    assert [(f.line, f.message.split(" names")[0]) for f in findings] == [
        (1, "line 1 (97530 on 14 Feb 2025)")
    ]


def test_a_solo_practitioner_billing_under_her_own_npi_passes(clean):
    clean["rendering_provider"] = None
    clean["lines"][0]["rendering_npi"] = clean["billing_provider"]["npi"]
    assert not scrub(make_claim(clean), select=["PRV005"])
