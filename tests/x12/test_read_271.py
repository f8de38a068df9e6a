"""The 271 reader: the corpus and a therapy answer, read into benefits, limits and rejections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.eligibility_summary import Pair, summarize
from otbill.domain.eligibility_words import describe
from otbill.x12.findings import X12Error
from otbill.x12.read_270 import read_270
from otbill.x12.read_271 import read_271
from support.x12eligibility import THERAPY_271, replace_271
from support.x12kit import corpus_dir, corpus_files

VISIT = dt.date(2025, 3, 3)


def _answer(text: str = THERAPY_271):
    found = read_271(text.encode()).answer_for("ELG-17")
    assert found is not None
    return found


def test_the_therapy_answer_gives_every_figure_for_ot():
    c = summarize(_answer(), VISIT, ("AD",))
    assert (c.active, c.status, c.service_type, c.plan_name) == (True, "active", "AD", "GOLD PPO")
    assert (c.plan_begin, c.plan_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert c.copay == Pair(Decimal(25), Decimal(50))
    assert c.coinsurance_percent == Pair(Decimal(20), Decimal(40))
    assert c.deductible_remaining == Pair(Decimal(150), Decimal(900))
    assert c.out_of_pocket_remaining == Pair(Decimal(2000), Decimal(6000))
    assert (c.visit_limit, c.visits_used, c.visits_remaining) == (20, 6, 14)
    assert c.limit_period == "calendar year"
    assert c.authorization_required is True
    [other] = c.other_payers
    assert (other.name, other.identifier, other.medicare_advantage) == (
        "SUNNY HEALTH",
        "77777",
        True,
    )


def test_a_limit_only_in_msg_text_is_mined_with_its_text_as_evidence():
    c = summarize(_answer(), VISIT, ("PT",))
    assert (c.service_type, c.visit_limit, c.limit_period) == ("PT", 30, "plan year")
    assert c.limit_evidence == ("PHYSICAL THERAPY LIMITED TO 30 VISITS PER PLAN YEAR",)
    assert c.copay == Pair()  # the payer gave a copay for OT only
    assert c.deductible_remaining == Pair(Decimal(150), Decimal(900))  # plan-wide (30)


def test_active_and_inactive_by_date():
    answer = _answer()
    assert summarize(answer, dt.date(2024, 12, 31), ("AD",)).active is False
    late = summarize(answer, dt.date(2026, 1, 2), ("AD",))
    assert (late.active, late.status) == (
        False,
        "inactive on 2026-01-02: the plan ended 2025-12-31",
    )
    ended = _answer(replace_271("EB*1*IND*30*PR*GOLD PPO", "EB*6*IND*30*PR*GOLD PPO").replace(
        "EB*1*IND*AD^PT", "EB*6*IND*AD^PT"))  # fmt: skip
    assert summarize(ended, VISIT, ("AD",)).status == "inactive"


def test_a_rejection_is_in_plain_words_with_the_fix():
    text = replace_271("DMG*D8*19700101*F~", "AAA*N**71*C~\nDMG*D8*19700101*F~")
    c = summarize(_answer(text), VISIT, ("AD",))
    assert c.problems == (
        (
            "the date of birth does not match the payer's",
            "check the patient's date of birth against the card or the patient; "
            "correct and send again",
        ),
    )


def test_the_figures_read_as_plain_sentences():
    lines = describe(summarize(_answer(), VISIT, ("AD",)))
    assert "Coverage on 2025-03-03: active (GOLD PPO)" in lines
    assert "Copay: $25 in network, $50 out of network" in lines
    assert "Coinsurance: 20% in network, 40% out of network" in lines
    assert "Deductible remaining: $150 in network, $900 out of network" in lines
    assert "Out-of-pocket remaining: $2,000 in network, $6,000 out of network" in lines
    assert "Visits: limit 20 per calendar year, 6 used, 14 left" in lines
    assert "Authorization: required" in lines
    assert any(line.startswith("Other payer: SUNNY HEALTH") and "Medicare Advantage" in line
               for line in lines)  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("*27*25*", "*27*9e999999*", "segment 18 EB EB07: '9e999999' is not a number"),
        ("*0.2*", "*" + "9" * 30 + "*", "EB08: '999999999999999999999999999999' has more than 18"),
        ("*VS*20*", "*VS*²*", "segment 26 EB EB10: '²' is not a number"),
        ("DTP*347*D8*20251231", "DTP*347*D8*20251331", "segment 15 DTP DTP03: '20251331' is not"),
        ("ST*271*", "ST*270*", "segment 3 ST ST01: is '270', expected '271'"),
    ],
)
def test_a_number_or_date_that_cannot_be_read_refuses_the_file_naming_the_element(
    old, new, message
):
    with pytest.raises(X12Error) as exc:
        read_271(replace_271(old, new).encode())
    assert message in str(exc.value)


def test_the_corpus_answers_are_read():
    root = corpus_dir()
    demo = read_271(root / "271" / "lfh--demo.271")
    [answer] = demo.answers
    assert (answer.member_id, answer.last_name, answer.plan_begin) == (
        "123456789", "SMITH", dt.date(2006, 1, 1))  # fmt: skip
    office = summarize(answer, dt.date(2006, 5, 1), ("98",))
    assert (office.active, office.plan_name) == (True, "GOLD 123 PLAN")
    assert office.copay == Pair(Decimal(10), Decimal(30))
    dependent = read_271(root / "271" / "lfh--dependent-health-benefit-check.271")
    child = dependent.answer_for("93175-012547")
    assert child is not None and (child.dependent, child.first_name) == (True, "MARY")
    refused = read_271(root / "271" / "oop--Example_3_1_3.txt")
    assert [(r.level, r.code) for r in refused.rejections] == [("provider", "50")]
    not_found = read_271(root / "271" / "oop--ValidationForSubscriberName.txt")
    c = summarize(not_found.answers[0], dt.date(2006, 5, 1), ("AD",))
    assert c.active is None and c.status == "not verified: the member ID is wrong or missing"


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize("path", corpus_files("271"), ids=lambda p: p.name)
def test_every_corpus_271_is_read_with_a_person_or_a_rejection(path):
    read = read_271(path)
    assert read.payer_name
    assert read.answers or read.rejections
    for answer in read.answers:
        assert answer.last_name or answer.rejections or answer.member_id


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize("path", corpus_files("270"), ids=lambda p: p.name)
def test_every_corpus_270_reads_as_an_inquiry(path):
    [inquiry] = read_270(path).inquiries
    assert (inquiry.payer_id, inquiry.member_id, inquiry.service_types) == (
        "842610001", "11122333301", ("30",))  # fmt: skip
    assert inquiry.date_of_service == dt.date(2006, 5, 1)
    if inquiry.dependent is not None:
        assert (inquiry.dependent.first_name, inquiry.dependent.dob) == (
            "MARY",
            dt.date(1978, 10, 14),
        )
