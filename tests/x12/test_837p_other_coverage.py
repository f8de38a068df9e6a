"""The patient's other coverages on a claim billed to the primary: 837P loops 2320/2330A/2330B."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from otbill.domain.claim import Address, OtherCoverage, PayerRef
from otbill.x12.findings import X12Error
from otbill.x12.read_837p import read_837p
from otbill.x12.write_837p import Submission, write_837p
from support.claimkit import make_claim
from support.x12kit import pyx12_errors

SUBMISSION = Submission(created=dt.datetime(2025, 2, 20, 10, 30), control_number=9)
ACME = PayerRef(profile="commercial-in-network", payer_id="ACME1", name="Acme Health PPO")
MEDIGAP = PayerRef(profile="commercial-in-network", payer_id="GAP22", name="Gap Mutual")
SECONDARY = OtherCoverage(
    responsibility="S",
    payer=ACME,
    member_id="ACM-55012",
    first_name="Nora",
    last_name="Finch",
    group_number="GRP-7",
    address=Address(line1="40 Lake Dr", city="Springfield", state="MA", zip="01104"),
)
TERTIARY = OtherCoverage(
    responsibility="T",
    payer=MEDIGAP,
    member_id="GM-1",
    first_name="Ray",
    last_name="Finch",
    relationship="spouse",
)


def _with(*others: OtherCoverage):
    return dataclasses.replace(make_claim(), other_coverages=others)


def test_secondary_and_tertiary_are_written_and_pyx12_finds_the_file_valid():
    text = write_837p([_with(SECONDARY, TERTIARY)], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = text.replace("\n", "").split("~")
    start = next(n for n, s in enumerate(segments) if s.startswith("SBR*S*"))
    assert segments[start : start + 9] == [
        "SBR*S*18*GRP-7******CI",
        "OI***Y***Y",
        "NM1*IL*1*Finch*Nora****MI*ACM-55012",
        "N3*40 Lake Dr",
        "N4*Springfield*MA*01104",
        "NM1*PR*2*Acme Health PPO*****PI*ACME1",
        "SBR*T*01*******CI",
        "OI***Y***Y",
        "NM1*IL*1*Finch*Ray****MI*GM-1",
    ]
    assert segments[start + 9] == "NM1*PR*2*Gap Mutual*****PI*GAP22"
    assert segments[start + 10].startswith("LX*1")  # before the service lines, no amounts
    assert not any(s.startswith(("AMT*D", "CAS*")) for s in segments)


def test_a_claim_without_other_coverage_has_no_2320():
    text = write_837p([make_claim()], SUBMISSION)
    assert "SBR*S" not in text and "OI*" not in text


def test_other_coverages_round_trip():
    written = _with(SECONDARY, TERTIARY)
    read = read_837p(write_837p([written], SUBMISSION).encode())
    assert read.findings == []
    assert read.claims[0].other_coverages == (SECONDARY, TERTIARY)


def test_a_2320_without_its_payer_is_left_out_with_a_warning():
    text = write_837p([_with(SECONDARY, TERTIARY)], SUBMISSION)
    broken = text.replace("NM1*PR*2*Acme Health PPO*****PI*ACME1~\n", "")
    read = read_837p(broken.encode())
    assert [c.other_coverages for c in read.claims] == [(TERTIARY,)]
    at_claim = [f for f in read.findings if f.segment_id == "CLM"]  # SE01 now counts one too many
    assert [f.severity for f in at_claim] == ["warning"]
    assert "2330B payer (NM1*PR)" in at_claim[0].message


@pytest.mark.parametrize(
    "others", [(TERTIARY, SECONDARY), (SECONDARY, SECONDARY), (SECONDARY, TERTIARY, TERTIARY)]
)
def test_other_coverages_are_one_secondary_then_one_tertiary(others):
    with pytest.raises(ValidationError, match="other_coverages"):
        _with(*others)


def test_a_separator_in_the_other_insured_name_is_refused():
    bad = dataclasses.replace(SECONDARY, last_name="Fin*ch")
    with pytest.raises(X12Error, match=r"other_coverages\[1\]\.last_name"):
        write_837p([_with(bad)], SUBMISSION)
