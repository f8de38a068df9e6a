"""276 writer and 277 reader (005010X212): guide-clean output, corpus answers in plain words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.claim_status import StatusRequest
from otbill.domain.eligibility import Person
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_277 import read_277
from otbill.x12.write_270 import InquiryEnvelope
from otbill.x12.write_276 import write_276
from support.shared import shared_path
from support.x12claimstatus import DEMO_277, replace_in
from support.x12kit import corpus_files
from support.x12mutations import refused_naming_a_segment, segment_mutations

ENV = InquiryEnvelope(sender_id="CLINIC", receiver_id="PAYER", created=dt.datetime(2025, 4, 1, 9))
JANE = Person("Jane", "Doe", dt.date(1970, 1, 1), "F")


def _request(**changes) -> StatusRequest:
    base = dict(
        trace="C-41", payer_name="Acme Health", payer_id="12345", receiver_name="River OT",
        receiver_id="CLINIC", provider_name="River OT", provider_npi="1234567893",
        subscriber=JANE, member_id="ABC123", service_from=dt.date(2025, 3, 3),
        service_to=dt.date(2025, 3, 5), total_charge=Decimal("250.00"),
        payer_claim_number="PCN9001", patient_account="C-41",
    )  # fmt: skip
    base.update(changes)
    return StatusRequest(**base)


def test_one_claim_is_written_as_the_guide_asks():
    text = write_276([_request()], ENV)
    assert validate(text.encode()) == []
    for seg in ("NM1*IL*1*DOE*JANE****MI*ABC123~", "TRN*1*C-41~", "REF*1K*PCN9001~",
                "AMT*T3*250.00~", "DTP*472*RD8*20250303-20250305~", "NM1*1P*2*RIVER OT*****XX*1234567893~"):  # fmt: skip
        assert seg in text


def test_a_batch_shares_the_payer_and_provider_levels_and_carries_a_dependent():
    son = Person("Tim", "Doe", dt.date(2015, 6, 1), "M")
    batch = [
        _request(),
        _request(trace="C-42", payer_claim_number=None, service_to=dt.date(2025, 3, 3)),
        _request(trace="C-43", patient=son, total_charge=Decimal("80")),
    ]
    text = write_276(batch, ENV)
    assert validate(text.encode()) == []
    assert text.count("NM1*PR*") == 1 and text.count("NM1*1P*") == 1
    assert "DTP*472*D8*20250303~" in text and "NM1*QC*1*DOE*TIM~" in text
    assert "AMT*T3*80.00~" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"provider_npi": "123"}, "276: claim C-41: the provider NPI '123' is not 10 digits"),
        ({"member_id": "AB*12"}, "276: the member ID 'AB*12' contains the X12 separator '*'"),
        (
            {"total_charge": Decimal("1.005")},
            "276: claim C-41: the total charge 1.005 is not money",
        ),
        ({"service_to": dt.date(2025, 3, 1)}, "the service dates end before they begin"),
        ({"patient": Person("Tim", "Doe")}, "the patient's birth date is needed (DMG)"),
    ],
)
def test_a_value_that_would_break_the_file_is_refused_naming_the_claim(changes, message):
    with pytest.raises(X12Error) as caught:
        write_276([_request(**changes)], ENV)
    assert message in str(caught.value)


def test_the_demo_277_reads_as_paid_in_plain_words():
    read = read_277(DEMO_277.encode())
    answer = read.answer_for("C-41")
    assert answer is not None and read.findings == []
    assert answer.outcome == "paid"
    assert answer.words == (
        "finalized: paid — paid (status F1:65) as of 2025-03-20, paid 180.00 of 250.00, "
        "payer claim number PCN9001"
    )
    assert answer.statuses[0].finalized == dt.date(2025, 3, 21)
    assert (answer.service_from, answer.service_to) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))


@pytest.mark.parametrize(
    ("stc", "outcome", "words"),
    [
        ("STC*A1:19*20250320", "received", "received — receipt acknowledged"),
        ("STC*P1:20*20250320", "pending", "pending: in process — accepted for processing"),
        ("STC*F2:88*20250320", "denied", "finalized: denied — included in the allowance"),
        ("STC*A4:35*20250320", "not found", "not found — claim not found"),
        ("STC*D0:35*20250320", "not found", "not on file"),
        ("STC*R4:294*20250320", "more information requested", "documentation requested"),
    ],
)
def test_each_status_category_has_an_outcome_and_words(stc, outcome, words):
    text = replace_in(DEMO_277, "STC*F1:65*20250320**250.00*180.00*20250321", stc)
    answer = read_277(text.encode()).answer_for("C-41")
    assert answer is not None and answer.outcome == outcome
    assert words in answer.words


def test_a_paid_amount_that_is_not_a_number_is_refused_naming_the_element():
    text = replace_in(DEMO_277, "*180.00*", "*18O.00*")
    with pytest.raises(X12Error) as caught:
        read_277(text.encode())
    assert "STC05" in str(caught.value)


def test_a_276_is_refused_as_a_277():
    with pytest.raises(X12Error) as caught:
        read_277(DEMO_277.replace("ST*277*", "ST*276*").encode())
    assert str(caught.value) == "segment 3 ST ST01: is '276', expected '277'"


@pytest.mark.shared("corpus/x12")
def test_the_corpus_277s_read_into_claim_answers_in_plain_words():
    root = shared_path("corpus/x12/277")
    demo = read_277(root / "lfh--demo.277")
    assert [(a.trace, a.outcome) for a in demo.answers] == [
        ("ABCXYZ1", "pending"), ("ABCXYZ2", "finalized"), ("ABCXYC3", "denied"),
    ]  # fmt: skip
    assert demo.answers[2].payer_claim_number == "051681010827"
    receiver = read_277(root / "lfh--information-receiver-level-status.277")
    answer = receiver.answer_for("ANY")
    assert answer is not None and answer.level == "receiver"
    assert answer.words.startswith("no answer possible: error in the request")


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize("path", corpus_files("277"), ids=lambda p: p.name)
def test_every_corpus_277_is_read_without_findings(path):
    read = read_277(path)
    assert read.findings == [] and read.answers


@pytest.mark.parametrize(("name", "text"), segment_mutations(DEMO_277), ids=lambda v: v[:12])
def test_a_mutated_277_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "277", read_277)


@pytest.mark.parametrize(
    ("name", "text"), segment_mutations(write_276([_request()], ENV).replace("\n", "").replace("~", "~\n")),
    ids=lambda v: v[:12],
)  # fmt: skip
def test_a_mutated_276_of_ours_is_refused_naming_a_segment(name, text):
    refused_naming_a_segment(text, "276")
