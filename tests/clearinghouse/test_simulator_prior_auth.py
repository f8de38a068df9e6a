"""The simulated payer's 278 answers to our 278 requests: one scenario per member ID's last digit,
each answer clean against the guide's response table and read back; latency and failures."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from otbill.clearinghouse.simulator import prior_auth as simulator
from otbill.clearinghouse.simulator.prior_auth import (
    MAX_VISITS,
    SimulatedPriorAuthPayer,
    answer_278,
    scenario_of,
)
from otbill.clearinghouse.transport import TransportError
from otbill.domain.prior_auth import AuthDecision, AuthLine, words
from otbill.x12.guide_rules import validate
from otbill.x12.read_278 import read_278
from otbill.x12.write_278 import write_278
from support.x12prior_auth import REQUEST_278, replace_in, sample_request

NOW = dt.datetime(2026, 1, 6, 10, 0)


def _answer(**changes: object):
    request = sample_request(**changes)
    text = write_278(request).encode()
    assert validate(text) == []
    out = answer_278(text, now=NOW)
    assert validate(out) == [], out.decode()
    assert validate(out, "278_response") == []
    read = read_278(out)
    assert read.kind == "response"
    answer = read.response_for(request.trace)
    assert answer is not None
    return answer


@pytest.mark.parametrize(
    ("member_id", "decision"),
    [
        ("ABC1230", AuthDecision.APPROVED), ("ABC1232", AuthDecision.APPROVED),
        ("ABC1233", AuthDecision.PARTIALLY_APPROVED), ("ABC1235", AuthDecision.PENDED),
        ("ABC1237", AuthDecision.DENIED), ("ABC1239", AuthDecision.NOT_ANSWERED),
    ],
)  # fmt: skip
def test_the_last_digit_of_the_member_id_picks_the_answer(member_id, decision):
    assert _answer(member_id=member_id).decision is decision


def test_an_approval_certifies_everything_asked_for_the_dates_asked():
    answer = _answer(member_id="ABC1231")
    assert answer.action == "A1" and answer.certification_number.startswith("AUTH")
    assert (answer.start, answer.end) == (dt.date(2026, 1, 12), dt.date(2026, 3, 12))
    assert (answer.expires, answer.issued) == (dt.date(2026, 3, 12), NOW.date())
    assert [(x.procedure_code, x.quantity, x.measure, x.action) for x in answer.lines] == [
        ("97530", 12, "visits", "A1"), ("97535", 16, "units", "A1"),
    ]  # fmt: skip
    assert answer.trace == "PA-2001" and answer.approved_visits == 12


def test_a_partial_approval_gives_fewer_visits_than_asked_with_the_reason():
    answer = _answer(member_id="ABC1234")
    assert (answer.action, answer.reason) == ("A2", "04")
    assert [(x.quantity, x.action, x.reason) for x in answer.lines] == [
        (8, "A2", "04"), (10, "A2", "04"),
    ]  # fmt: skip
    assert "Reason: more was asked than the plan authorizes" in words(answer)


def test_more_visits_than_the_plan_allows_are_cut_even_on_an_approving_id():
    lines = (AuthLine("97530", 40), AuthLine("97110", 40))
    assert scenario_of("ABC1230", 40) == "partial"
    answer = _answer(member_id="ABC1230", lines=lines)
    assert answer.decision is AuthDecision.PARTIALLY_APPROVED
    assert [x.quantity for x in answer.lines] == [MAX_VISITS, MAX_VISITS]
    assert answer.approved_visits == MAX_VISITS  # the same 24 visits under each code


def test_visits_asked_on_each_code_are_the_same_visits_not_a_sum():
    lines = (AuthLine("97530", 20), AuthLine("97110", 20))
    answer = _answer(member_id="ABC1230", lines=lines)
    assert answer.decision is AuthDecision.APPROVED
    assert answer.approved_visits == 20


def test_a_pend_gives_no_number_but_the_payers_reference_and_what_it_needs():
    answer = _answer(member_id="ABC1236")
    assert (answer.action, answer.certification_number) == ("A4", "")
    assert answer.reference.startswith("PEND")
    assert answer.messages == (simulator.PEND_MESSAGE,)
    assert all(x.decision is AuthDecision.PENDED for x in answer.lines)
    assert answer.approved_visits is None


def test_a_denial_gives_the_reason_and_certifies_nothing():
    answer = _answer(member_id="ABC1238")
    assert (answer.action, answer.reason, answer.certification_number) == ("A3", "09", "")
    assert all(x.decision is AuthDecision.DENIED for x in answer.lines)
    assert "Reason: the provider is out of the plan's network" in words(answer)


def test_a_member_the_payer_does_not_know_is_rejected_with_what_to_do():
    answer = _answer(member_id="ABC1239")
    assert [(r.level, r.code, r.follow_up) for r in answer.rejections] == [
        ("subscriber", "75", "C")
    ]
    assert answer.lines == () and answer.certification_number == ""


def test_the_subscriber_as_patient_is_answered_without_a_dependent_loop():
    answer = _answer(member_id="ABC1230", patient=None, relationship="self")
    assert answer.decision is AuthDecision.APPROVED


def test_an_id_without_a_final_digit_is_mapped_by_its_hash_the_same_way_each_time():
    assert scenario_of("ABCDEF") == scenario_of("ABCDEF")
    assert scenario_of("ABCDEF") in set(simulator.SCENARIOS.values())


def test_the_guide_example_request_is_answered():
    out = answer_278(REQUEST_278.encode(), now=NOW)
    assert validate(out) == []
    answer = read_278(out).response_for("PA-2001")
    assert answer is not None and answer.decision is AuthDecision.APPROVED


def test_a_request_that_does_not_follow_the_guide_is_refused():
    bad = replace_in(REQUEST_278, "UM*HS*I*AD*11:B", "UM*XX*I*AD*11:B")
    with pytest.raises(TransportError, match="UM01"):
        answer_278(bad.encode(), now=NOW)


def test_the_payer_keeps_every_request_and_waits_its_latency(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(simulator.time, "sleep", waited.append)
    payer = SimulatedPriorAuthPayer(latency=0.05)
    text = write_278(sample_request()).encode()
    payer.exchange(text)
    payer.exchange(text)
    assert waited == [0.05, 0.05] and payer.requests == [text, text]


def test_failures_follow_the_rate_and_the_seed():
    text = write_278(sample_request()).encode()

    def outcomes(payer: SimulatedPriorAuthPayer) -> list[bool]:
        found = []
        for _ in range(40):
            try:
                payer.exchange(text)
                found.append(True)
            except TransportError as exc:
                assert "did not answer" in str(exc)
                found.append(False)
        return found

    first = outcomes(SimulatedPriorAuthPayer(failure_rate=0.3, seed=7))
    assert first == outcomes(SimulatedPriorAuthPayer(failure_rate=0.3, seed=7))
    assert 0 < first.count(False) < 40
    assert all(outcomes(SimulatedPriorAuthPayer(failure_rate=0.0)))
    assert not any(outcomes(SimulatedPriorAuthPayer(failure_rate=1.0)))


@pytest.mark.parametrize(
    "changes", [{"failure_rate": 1.5}, {"failure_rate": -0.1}, {"latency": -1}]
)
def test_settings_out_of_range_are_refused(changes):
    with pytest.raises(ValueError, match="failure_rate|latency"):
        SimulatedPriorAuthPayer(**changes)


def test_every_scenario_answers_the_dependent_and_each_validates():
    for digit in "0123456789":
        request = dataclasses.replace(sample_request(), member_id=f"M{digit}")
        out = answer_278(write_278(request).encode(), now=NOW)
        assert validate(out) == [], digit
        assert read_278(out).response_for(request.trace) is not None
