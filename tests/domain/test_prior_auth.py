"""The prior authorization records: decisions from HCR01, ICD-10 as X12 writes it, plain words."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.prior_auth import (
    ACTIONS,
    AuthDecision,
    AuthLine,
    AuthRequest,
    AuthResponse,
    LineDecision,
    Person,
    Provider,
    Rejection,
    decision_of,
    icd10_for_x12,
    service_words,
    words,
)


@pytest.mark.parametrize(
    ("code", "decision"),
    [
        ("A1", AuthDecision.APPROVED),
        ("A2", AuthDecision.PARTIALLY_APPROVED),
        ("A3", AuthDecision.DENIED),
        ("A4", AuthDecision.PENDED),
        ("A6", AuthDecision.PARTIALLY_APPROVED),
        ("C", AuthDecision.CANCELLED),
        ("CT", AuthDecision.PENDED),
        ("NA", AuthDecision.APPROVED),
        ("ZZ", AuthDecision.NOT_ANSWERED),
        ("", AuthDecision.NOT_ANSWERED),
    ],
)
def test_each_action_code_means_one_decision(code, decision):
    assert decision_of(code) is decision


def test_every_action_code_has_words():
    assert set(ACTIONS) == {"A1", "A2", "A3", "A4", "A6", "C", "CT", "NA"}
    assert all(text and "_" not in text for text, _ in ACTIONS.values())


def test_icd10_codes_lose_their_dot():
    assert icd10_for_x12(" m62.81 ") == "M6281"
    assert icd10_for_x12("R26.89") == "R2689"


def test_a_request_counts_the_visits_asked_not_the_units():
    request = AuthRequest(
        trace="PA-1", payer_name="ACME", payer_id="12345",
        requester=Provider("RIVER OT", "1234567893"),
        subscriber=Person("JANE", "DOE"), member_id="ABC1",
        start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 5),
        lines=(AuthLine("97530", 12), AuthLine("97110", 8), AuthLine("97535", 24, "units")),
        diagnoses=("M62.81",),
    )  # fmt: skip
    assert request.visits_asked == 12  # one visit counts under each code
    assert service_words(request.service_type) == "occupational therapy"


def test_a_partial_approval_in_words_names_the_number_dates_counts_and_reason():
    response = AuthResponse(
        trace="PA-1", decision=AuthDecision.PARTIALLY_APPROVED, action="A2",
        certification_number="CERT77", reason="04",
        start=dt.date(2026, 1, 5), end=dt.date(2026, 2, 5),
        lines=(LineDecision("97530", AuthDecision.PARTIALLY_APPROVED, "A2", 6, reason="04"),
               LineDecision("97110", AuthDecision.APPROVED, "A1", 8)),
    )  # fmt: skip
    text = words(response)
    assert text[0] == "Authorization: approved in part (certified partially)"
    assert "Authorization number: CERT77" in text
    assert "Approved dates: from 01/05/2026 to 02/05/2026" in text
    assert "Reason: more was asked than the plan authorizes" in text
    assert any(t.startswith("97530: approved in part") and "6 visits approved" in t for t in text)
    assert response.approved_visits == 8  # the largest approved line, not 6 + 8


def test_a_rejection_in_words_says_what_to_do():
    response = AuthResponse(
        trace="PA-1", decision=AuthDecision.NOT_ANSWERED,
        rejections=(Rejection("subscriber", "75", "C", 9),), messages=("CALL 555-0100",),
    )  # fmt: skip
    text = words(response)
    assert text[0] == "Authorization: the payer did not decide on the request"
    assert text[1].startswith("Rejected: the payer did not find the subscriber")
    assert text[-1] == "Payer's message: CALL 555-0100"
    assert response.approved_visits is None


def test_unknown_codes_are_shown_with_their_number():
    response = AuthResponse(trace="", decision=decision_of("Q9"), action="Q9", reason="7Z")
    text = words(response)
    assert "'Q9'" in text[0]
    assert "7Z" in text[1]
