"""The 837P writer: pyx12 finds every file valid; claims that cannot be written are refused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.x12.findings import X12Error
from otbill.x12.write_837p import Submission, check_claim, money, write_837p
from support.claimgen import claims
from support.claimkit import clean_claim_data, make_claim
from support.x12kit import demo_claims, pyx12_errors

SUBMISSION = Submission(created=dt.datetime(2025, 2, 20, 10, 30), control_number=7)


def test_demo_claims_pass_the_pyx12_validator():
    text = write_837p(demo_claims(), SUBMISSION)
    assert pyx12_errors(text) == []


def test_claims_are_grouped_by_payer_then_billing_provider():
    text = write_837p(demo_claims(), SUBMISSION)
    lines = text.splitlines()
    assert sum(line.startswith("ST*837*") for line in lines) == 2  # Medicare, Acme
    assert sum(line.startswith("HL*") and "*20*" in line for line in lines) == 3
    assert sum(line.startswith("CLM*") for line in lines) == 5


def test_segments_a_therapy_claim_needs():
    text = write_837p(demo_claims(), SUBMISSION)
    for expected in (
        "NM1*85*2*Hands On OT*****XX*1234567893~",
        "REF*EI*741234567~",
        "PRV*BI*PXC*225X00000X~",
        "SBR*P*18*******MB~",
        "CLM*CLM-0001*90***11:B:1*Y*A*Y*Y~",
        "REF*G1*A123~",
        "HI*ABK:M6281*ABF:R2689~",
        "NM1*DN*1*Ng*Sam****XX*1003000126~",
        "NM1*82*1*Cole*Rita****XX*1245319599~",
        "SV1*HC:97530:GO*90*UN*2***1:2~",
        "DTP*472*D8*20250214~",
        "REF*F8*ICN998877~",
        "CLM*CLM-0003*90***11:B:7*Y*A*Y*Y~",
        "PAT*19~",
        "NM1*QC*1*Lee*Mia~",
        "SV1*HC:97110:GO:59*45.5*UN*1***2:1~",
        "CLM*CLM-0004*90***10:B:1*Y*A*Y*Y~",
        "SBR*P********CI~",
    ):
        assert expected in text.splitlines(), expected


def test_money_has_no_exponent_or_trailing_zeros():
    from decimal import Decimal

    assert [money(Decimal(v)) for v in ("90.00", "54.50", "0", "1E+2", "0.05")] == [
        "90",
        "54.5",
        "0",
        "100",
        "0.05",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(diagnoses=[]), "diagnoses: at least one is required"),
        (
            lambda d: d.update(frequency_code="8"),
            "original_claim_number is required for frequency code 8",
        ),
        (lambda d: d["patient"].update(address=None), "patient.address is required"),
        (
            lambda d: d["patient"].update(last_name="O*Neil"),
            "patient.last_name contains the X12 separator '*'",
        ),
        (
            lambda d: d["patient"].update(first_name="Zoë"),
            "patient.first_name has characters outside ASCII",
        ),
        (lambda d: d["lines"][0].update(dx_pointers=[3]), "points past the 2 diagnoses"),
        (lambda d: d["billing_provider"]["address"].update(zip="78701"), "ZIP+4"),
        (lambda d: d.update(total_charge="91.00"), "total_charge 91.00 differs"),
        (lambda d: d["lines"][0].update(rendering_npi="1003000126"), "2420A NM1 needs one"),
        (
            lambda d: d["lines"][0].update(modifiers=["GO", "KX", "59", "XU", "CQ"]),
            "SV101 carries 4",
        ),
    ],
)
def test_claims_that_cannot_be_written_are_refused_naming_the_field(change, reason):
    data = clean_claim_data()
    change(data)
    claim = make_claim(data)
    assert any(reason in problem for problem in check_claim(claim))
    with pytest.raises(X12Error, match="claim CLM-0001 cannot be written"):
        write_837p([claim], SUBMISSION)


def test_nothing_to_write_is_refused():
    with pytest.raises(X12Error, match="no claims"):
        write_837p([], SUBMISSION)


def test_clean_claim_passes_check():
    assert check_claim(make_claim()) == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims(), min_size=1, max_size=3))
def test_generated_claims_pass_the_pyx12_validator(batch):
    batch = [dataclasses.replace(c, claim_id=f"CLM-{n}") for n, c in enumerate(batch)]
    assert pyx12_errors(write_837p(batch, SUBMISSION)) == []


def test_the_oracle_catches_a_broken_file():
    text = write_837p(demo_claims()[:1], SUBMISSION)
    broken = "\n".join(line for line in text.splitlines() if not line.startswith("HI*"))
    assert pyx12_errors(broken) != []
