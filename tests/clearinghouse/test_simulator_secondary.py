"""The simulator's payer answers a secondary claim (SBR01 S) as a Medigap Plan L supplement: it pays
75% of what Medicare left to the patient, never more; the rest stays with the patient (PR-2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

from otbill.clearinghouse import EdiFile, FolderTransport
from otbill.clearinghouse.simulator.folder import simulate
from otbill.domain.claim import Claim, OtherCoverage, PayerRef
from otbill.domain.coordination import LineAdjudication, PriorAdjudication, PriorAdjustment
from otbill.x12.read_835 import read_835
from otbill.x12.write_837p import Submission, write_837p
from support.x12kit import demo_claims

CREATED = dt.datetime(2025, 3, 1, 9, 30)
MEDICARE = PayerRef(profile="medicare", payer_id="04412", name="Medicare Part B")
GAP = PayerRef(profile="medigap", payer_id="GAP22", name="Gap Mutual")


def _medicare_claim() -> Claim:
    return next(c for c in demo_claims() if c.payer.profile == "medicare")


def _secondary(claim: Claim, *, per_line: bool, coinsurance: Decimal) -> Claim:
    """``claim`` sent to the Medigap plan after Medicare allowed each line 80 and left
    ``coinsurance`` of each to the patient (PR-2), in 2430 (per_line) or only as 2320 AMT*EAF."""
    day = claim.lines[0].date + dt.timedelta(days=20)
    lines = tuple(
        LineAdjudication(
            line=n, code=x.code, paid=Decimal(80) - coinsurance, units=x.units,
            adjudicated_on=day, modifiers=x.modifiers,
            adjustments=(PriorAdjustment("CO", "45", x.charge - 80),
                         PriorAdjustment("PR", "2", coinsurance)),
        )
        for n, x in enumerate(claim.lines, start=1)
    )  # fmt: skip
    n = len(claim.lines)
    decided = PriorAdjudication(
        paid=(Decimal(80) - coinsurance) * n,
        adjudicated_on=day,
        patient_responsibility=coinsurance * n,
        lines=lines if per_line else (),
    )
    medicare = OtherCoverage(
        responsibility="P", payer=MEDICARE, member_id=claim.patient.member_id,
        first_name=claim.patient.first_name, last_name=claim.patient.last_name,
        adjudication=decided,
    )  # fmt: skip
    return dataclasses.replace(
        claim, claim_id="CLM-GAP", payer=GAP, responsibility="S", other_coverages=(medicare,)
    )


def _answer(tmp_path: Path, claim: Claim):  # type: ignore[no-untyped-def]
    text = write_837p([claim], Submission(created=CREATED))
    FolderTransport(tmp_path).send([EdiFile("S.837", text.encode())])
    report = simulate(tmp_path)
    assert report.accepted == 1 and report.rejected == 0
    remit = read_835(tmp_path / "inbox" / "S.835")
    assert remit.findings == []
    [payment] = remit.remittances
    [answer] = payment.claims
    return answer


def _reasons(answer) -> dict[tuple[str, str], Decimal]:  # type: ignore[no-untyped-def]
    out: dict[tuple[str, str], Decimal] = {}
    for service in answer.services:
        for a in service.adjustments:
            out[(a.group, a.reason)] = out.get((a.group, a.reason), Decimal(0)) + a.amount
    return out


def test_a_secondary_pays_75_percent_of_the_coinsurance_medicare_left(tmp_path: Path) -> None:
    claim = _medicare_claim()
    assert len(claim.lines) >= 1
    answer = _answer(tmp_path, _secondary(claim, per_line=True, coinsurance=Decimal("16.01")))
    n = len(claim.lines)
    assert answer.status == "2"  # processed as secondary
    assert answer.paid == Decimal("12.01") * n  # 75% of 16.01, to the cent, per line
    reasons = _reasons(answer)
    assert reasons[("PR", "2")] == Decimal("4.00") * n
    charge = sum((x.charge for x in claim.lines), Decimal(0))
    assert reasons[("OA", "23")] == charge - Decimal("16.01") * n  # the prior payer's decisions
    assert ("CO", "45") not in reasons


def test_without_line_detail_it_pays_from_amt_eaf_and_never_more(tmp_path: Path) -> None:
    claim = _medicare_claim()
    answer = _answer(tmp_path, _secondary(claim, per_line=False, coinsurance=Decimal("30.00")))
    left = Decimal("30.00") * len(claim.lines)
    assert answer.paid == left * Decimal("0.75")
    assert answer.paid + _reasons(answer)[("PR", "2")] == left


def test_a_primary_claim_is_paid_as_before(tmp_path: Path) -> None:
    claim = _medicare_claim()
    answer = _answer(tmp_path, claim)
    assert answer.status == "1"
    assert ("CO", "45") in _reasons(answer) or ("PR", "2") in _reasons(answer)
    assert ("OA", "23") not in _reasons(answer)
