"""The 835 reader: payments, adjustments, remarks, PLB, and balancing breaks as findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.remittance import Adjustment, ClaimPayment, PaymentHeader
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.read_835 import iter_835, read_835
from support.x12kit import corpus_dir

D = Decimal
ISA = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OTBILL         *250301*1200*^*00501*000000005*0*P*:~"


def _835(body: str, bpr: str = "140") -> bytes:
    segs = [
        f"BPR*I*{bpr}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250305",
        "TRN*1*EFT123*1512345678",
        "N1*PR*ACME HEALTH",
        "REF*2U*87726",
        "N1*PE*HANDS ON OT*XX*1234567893",
        "LX*1",
        *body.strip().split("\n"),
    ]
    text = ISA + "GS*HP*PAYER*OTBILL*20250301*1200*5*X*005010X221A1~ST*835*0001~"
    text += "~".join(segs) + f"~SE*{len(segs) + 2}*0001~GE*1*5~IEA*1*000000005~"
    return text.encode()


GOOD = """CLP*CLM-0001*1*190*140*20*12*ICN777*11*1
CAS*CO*45*10
NM1*QC*1*LEE*ANN****MI*1EG4TE5MK73
MOA***MA01*N130
DTM*232*20250214
SVC*HC:97530:GO*90*70**2
DTM*472*20250214
CAS*PR*2*20
AMT*B6*80
LQ*HE*N20
SVC*HC:97110:GO*90*70**1*HC:97112
DTM*472*20250214
CAS*PR*1*10*1*3*10
REF*6R*LINE2"""


def test_a_full_claim_is_read():
    result = read_835(_835(GOOD))
    assert result.findings == []
    [remit] = result.remittances
    h = remit.header
    assert (h.total_paid, h.method, h.trace_number, h.payer_id, h.payee_id) == (
        D("140"),
        "ACH",
        "EFT123",
        "87726",
        "1234567893",
    )
    assert h.payment_date == dt.date(2025, 3, 5)
    [claim] = remit.claims
    assert (claim.patient_control_number, claim.status_text, claim.payer_claim_number) == (
        "CLM-0001",
        "processed as primary",
        "ICN777",
    )
    assert claim.patient_responsibility == D("20") and claim.remarks == ("MA01", "N130")
    assert claim.adjustments == (Adjustment("CO", "45", D("10")),)
    first, second = claim.services
    assert (first.code, first.modifiers, first.allowed, first.remarks) == (
        "97530",
        ("GO",),
        D("80"),
        ("N20",),
    )
    assert second.original_code == "97112" and second.line_control_number == "LINE2"
    assert second.adjustments == (
        Adjustment("PR", "1", D("10"), D("1")),
        Adjustment("PR", "3", D("10")),
    )
    assert claim.adjustment_total == D("50")


def test_unbalanced_claim_line_and_payment_are_findings_with_amounts():
    body = GOOD.replace("CAS*CO*45*10", "CAS*CO*45*12").replace(
        "SVC*HC:97530:GO*90*70**2", "SVC*HC:97530:GO*90*75**2"
    )
    texts = [str(f) for f in read_835(_835(body)).findings]
    assert any(
        "segment 10 CLP: claim CLM-0001 does not balance: charge 190 − paid 140 = 50, but "
        "claim and line adjustments total 52" in t
        for t in texts
    ), texts
    assert any(
        "segment 15 SVC: line 97530 does not balance: charge 90 − paid 75 = 15, but its "
        "adjustments total 20" in t
        for t in texts
    ), texts
    texts = [str(f) for f in read_835(_835(GOOD, bpr="150")).findings]
    assert texts == [
        "segment 4 BPR BPR02: payment 150 ≠ claims paid 140 − provider adjustments 0 = "
        "140 (transaction ending at 24)"
    ]


def test_provider_adjustments_enter_the_payment_balance():
    body = GOOD + "\nPLB*1234567893*20251231*L6:INT1*-5.25*WO:ICN5*20"
    result = read_835(_835(body, bpr="125.25"))
    assert result.findings == []
    plbs = result.remittances[0].provider_adjustments
    assert [(p.reason, p.reference, p.amount) for p in plbs] == [
        ("L6", "INT1", D("-5.25")),
        ("WO", "ICN5", D("20")),
    ]


def test_non_numeric_money_refuses_the_file():
    with pytest.raises(X12Error, match="segment 11 CAS CAS03: '1O' is not a number"):
        read_835(_835(GOOD.replace("CAS*CO*45*10", "CAS*CO*45*1O")))


def test_streaming_yields_header_then_claims():
    findings: list[X12Finding] = []
    items = list(iter_835(_835(GOOD + "\n" + GOOD.replace("CLM-0001", "CLM-0002")), findings))
    assert [type(i) for i in items] == [PaymentHeader, ClaimPayment, ClaimPayment]


def test_corpus_secondary_payment():
    [remit] = read_835(corpus_dir() / "835" / "lfh--secondary-payment.835").remittances
    assert remit.header.total_paid == D("1222.00")
    second = remit.claims[1]
    assert second.status == "2" and second.services[1].adjustments[0] == Adjustment(
        "PR", "1", D("150.00")
    )
    assert second.services[1].adjustments[1] == Adjustment("PR", "2", D("70.00"))


def test_corpus_denial_with_remark_codes():
    [remit] = read_835(corpus_dir() / "835" / "pyx12--835_mult_loops.txt").remittances
    [claim] = remit.claims
    assert claim.denied and [s.remarks for s in claim.services] == [("N14",)] * 3
