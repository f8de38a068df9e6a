"""The simulated payer's 277 answers to 276 questions: one scenario per claim number's last digit."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.clearinghouse.simulator.claim_status import (
    SimulatedClaimStatusPayer,
    answer_276,
    scenario_of,
)
from otbill.clearinghouse.transport import TransportError
from otbill.x12.guide_rules import validate
from otbill.x12.read_277 import read_277
from support.shared import shared_path
from support.x12claimstatus import DEMO_276, replace_in

NOW = dt.datetime(2025, 4, 1, 9, 0)


def _answer(claim_number: str):
    text = DEMO_276.replace("C-41", claim_number)
    out = answer_276(text.encode(), now=NOW)
    assert validate(out) == []
    answer = read_277(out).answer_for(claim_number)
    assert answer is not None
    return answer


@pytest.mark.parametrize(
    ("claim_number", "outcome", "category"),
    [
        ("C-40", "received", "A1"), ("C-41", "received", "A1"), ("C-42", "pending", "P1"),
        ("C-44", "paid", "F1"), ("C-46", "denied", "F2"), ("C-48", "not found", "A4"),
        ("C-49", "not found", "A4"),
    ],
)  # fmt: skip
def test_the_last_digit_of_the_claim_number_picks_the_answer(claim_number, outcome, category):
    answer = _answer(claim_number)
    assert (answer.outcome, answer.statuses[0].category) == (outcome, category)
    assert answer.effective == NOW.date()


def test_a_paid_claim_carries_the_amounts_the_check_and_the_payers_claim_number():
    answer = _answer("C-45")
    status = answer.statuses[0]
    assert (str(status.charged), str(status.paid)) == ("250.00", "200.00")
    assert status.check_number == "CHKC-45" and status.finalized == NOW.date()
    assert answer.payer_claim_number == "PCN9001"  # the one asked with is kept
    assert (answer.service_from, answer.service_to) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))


def test_a_claim_asked_without_the_payers_number_gets_one_unless_not_found():
    text = replace_in(DEMO_276, "REF*1K*PCN9001~\n", "").replace("SE*17*", "SE*16*")
    answer = read_277(answer_276(text.encode(), now=NOW)).answers[0]
    assert answer.payer_claim_number and answer.payer_claim_number.startswith("SIM")
    text = text.replace("C-41", "C-48")
    assert read_277(answer_276(text.encode(), now=NOW)).answers[0].payer_claim_number is None


def test_a_claim_number_without_a_final_digit_is_mapped_the_same_way_every_time():
    assert scenario_of("CLAIM-A") == scenario_of("CLAIM-A")


def test_a_276_that_breaks_the_guide_is_refused_not_answered():
    text = replace_in(DEMO_276, "TRN*1*C-41", "TRN*9*C-41")
    with pytest.raises(TransportError) as caught:
        answer_276(text.encode(), now=NOW)
    assert "TRN01: '9' is not one of the guide's codes" in str(caught.value)


def test_the_transport_counts_its_requests():
    payer = SimulatedClaimStatusPayer()
    out = payer.exchange(DEMO_276.encode())
    assert len(payer.requests) == 1 and b"ST*277*" in out


@pytest.mark.shared("corpus/x12")
def test_the_corpus_276s_are_answered_with_guide_clean_277s():
    for name in ("lfh--demo.276", "lfh--provider-level-status.276", "lfh--claim-level-status.276"):
        out = answer_276((shared_path("corpus/x12/276") / name).read_bytes(), now=NOW)
        assert validate(out) == [], name
        assert [a.trace for a in read_277(out).answers][:1] == ["ABCXYZ1"]
