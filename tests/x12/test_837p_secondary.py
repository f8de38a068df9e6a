"""A secondary or tertiary claim's 837P: SBR01 S/T, the prior payers' 2320/2330 with their
adjudication, 2430 per line; pyx12 finds every such file valid."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from otbill.domain.claim import OtherCoverage, PayerRef
from otbill.domain.coordination import LineAdjudication, PriorAdjudication, PriorAdjustment
from otbill.x12.write_837p import Submission, write_837p
from support.claimkit import make_claim
from support.x12kit import pyx12_errors

SUBMISSION = Submission(created=dt.datetime(2025, 3, 20, 10, 30), control_number=12)
MEDICARE = PayerRef(profile="medicare", payer_id="04412", name="Medicare Part B")
GAP = PayerRef(profile="commercial-in-network", payer_id="GAP22", name="Gap Mutual")
ON = dt.date(2025, 3, 14)


def _line(n: int, code: str, paid: str, co: str, pr: str, units: int = 1) -> LineAdjudication:
    return LineAdjudication(
        line=n,
        code=code,
        paid=Decimal(paid),
        units=units,
        adjudicated_on=ON,
        adjustments=(
            PriorAdjustment(group="CO", reason="45", amount=Decimal(co)),
            PriorAdjustment(group="PR", reason="2", amount=Decimal(pr)),
        ),
    )


def _secondary(lines: bool = True):
    base = make_claim()
    adjudication = PriorAdjudication(
        paid=Decimal("64"),
        adjudicated_on=ON,
        patient_responsibility=Decimal("16"),
        lines=tuple(
            _line(n, x.code, "0", "0", "0", x.units) for n, x in enumerate(base.lines, start=1)
        )
        if lines
        else (),
        adjustments=()
        if lines
        else (
            PriorAdjustment(group="CO", reason="45", amount=Decimal("20")),
            PriorAdjustment(group="PR", reason="2", amount=Decimal("16")),
        ),
    )
    primary = OtherCoverage(
        responsibility="P",
        payer=MEDICARE,
        member_id=base.patient.member_id,
        first_name=base.patient.first_name,
        last_name=base.patient.last_name,
        address=base.patient.address,
        adjudication=adjudication,
    )
    return dataclasses.replace(base, payer=GAP, responsibility="S", other_coverages=(primary,))


def _segments(text: str) -> list[str]:
    return text.replace("\n", "").split("~")


def test_a_secondary_claim_with_line_adjudication_passes_pyx12():
    text = write_837p([_secondary()], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = _segments(text)
    assert any(s.startswith("SBR*S*18*") for s in segments)  # 2000B: this payer is secondary
    start = next(n for n, s in enumerate(segments) if s.startswith("SBR*P*"))
    assert segments[start + 1 : start + 4] == ["AMT*D*64", "AMT*EAF*16", "OI***Y***Y"]
    assert any(s.startswith("SVD*04412*0*HC:") for s in segments)
    assert "DTP*573*D8*20250314" in segments  # 2430's date
    payer = segments.index("NM1*PR*2*Medicare Part B*****PI*04412")
    assert not segments[payer + 1].startswith("DTP*573")  # the lines carry the dates


def test_claim_level_cas_go_in_2320_and_the_date_in_2330b_without_lines():
    text = write_837p([_secondary(lines=False)], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = _segments(text)
    start = next(n for n, s in enumerate(segments) if s.startswith("SBR*P*"))
    assert segments[start + 1 : start + 5] == [
        "CAS*CO*45*20",
        "CAS*PR*2*16",
        "AMT*D*64",
        "AMT*EAF*16",
    ]
    payer = segments.index("NM1*PR*2*Medicare Part B*****PI*04412")
    assert segments[payer + 1] == "DTP*573*D8*20250314"
    assert not any(s.startswith("SVD*") for s in segments)


def test_a_tertiary_claim_names_both_prior_payers_and_passes_pyx12():
    secondary = _secondary()
    primary = secondary.other_coverages[0]
    gap = dataclasses.replace(
        primary,
        responsibility="S",
        payer=GAP,
        member_id="GM-1",
        adjudication=PriorAdjudication(paid=Decimal("10"), adjudicated_on=dt.date(2025, 4, 2)),
    )
    state = PayerRef(profile="medicaid-example", payer_id="MCD01", name="State Medicaid")
    tertiary = dataclasses.replace(
        secondary, payer=state, responsibility="T", other_coverages=(primary, gap)
    )
    text = write_837p([tertiary], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = _segments(text)
    assert any(s.startswith("SBR*T*18*") for s in segments)
    assert "AMT*D*10" in segments and "DTP*573*D8*20250402" in segments


def test_many_reasons_of_one_group_share_cas_segments_of_six():
    adjs = tuple(
        PriorAdjustment(group="CO", reason=str(r), amount=Decimal("1")) for r in range(1, 9)
    )
    secondary = _secondary(lines=False)
    primary = secondary.other_coverages[0]
    assert primary.adjudication is not None
    changed = dataclasses.replace(
        primary, adjudication=dataclasses.replace(primary.adjudication, adjustments=adjs)
    )
    text = write_837p([dataclasses.replace(secondary, other_coverages=(changed,))], SUBMISSION)
    assert pyx12_errors(text) == []
    cas = [s for s in _segments(text) if s.startswith("CAS*")]
    assert cas == ["CAS*CO*1*1**2*1**3*1**4*1**5*1**6*1", "CAS*CO*7*1**8*1"]
