"""The 278 reader (005010X217) and the guide's tables: a response read into its decision, number,
dates and counts; a request read into what it asks; mutations refused naming the segment."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.domain.prior_auth import AuthDecision, words
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import guide, validate
from otbill.x12.read_278 import read_278
from support.fuzzkit import mutate_x12, x12_mutations
from support.x12mutations import refused_naming_a_segment, segment_mutations
from support.x12prior_auth import (
    EXAMPLE_1A_278,
    EXAMPLE_1B_278,
    EXAMPLE_6A_278,
    REQUEST_278,
    RESPONSE_278,
    SUBSCRIBER_NOT_FOUND_278,
    replace_in,
)


def test_the_tables_load_with_their_version_group_and_kind():
    request, response = guide("278"), guide("278_response")
    assert request.set_id == response.set_id == "278"
    assert request.version == response.version == "005010X217"
    assert request.functional_code == response.functional_code == "HI"
    assert {"AD", "PT"} <= request.codes["service_type"]


def test_the_guide_examples_follow_the_tables():
    assert validate(REQUEST_278.encode()) == []
    assert validate(RESPONSE_278.encode()) == []
    assert validate(RESPONSE_278.encode(), "278_response") == []
    assert validate(SUBSCRIBER_NOT_FOUND_278.encode()) == []


def test_bht02_picks_the_table_unless_the_caller_names_one():
    as_request = [str(f) for f in validate(RESPONSE_278.encode(), "278")]
    assert "segment 4 BHT BHT02: '11' is not one of the guide's codes for BHT02" in as_request
    as_response = [str(f) for f in validate(REQUEST_278.encode(), "278_response")]
    assert any("HCR is required in loop 2000E" in f for f in as_response), as_response


def test_a_response_reads_into_the_decision_number_dates_and_counts():
    read = read_278(RESPONSE_278.encode())
    assert read.kind == "response" and read.requests == []
    answer = read.response_for("PA-2001")
    assert answer is not None
    assert (answer.decision, answer.action) == (AuthDecision.PARTIALLY_APPROVED, "A2")
    assert (answer.certification_number, answer.reason) == ("CERT55501", "04")
    assert (answer.start, answer.end) == (dt.date(2026, 1, 12), dt.date(2026, 2, 28))
    assert (answer.expires, answer.issued) == (dt.date(2026, 2, 28), dt.date(2026, 1, 7))
    assert (answer.payer_trace, answer.reference) == ("UM778899", "ADM4411")
    assert (answer.member_id, answer.payer_name) == ("ABC1230", "ACME HEALTH")
    assert answer.messages == ("RECERTIFY WITH A PROGRESS NOTE FOR MORE VISITS",)
    first, second = answer.lines
    assert (first.procedure_code, first.decision, first.quantity, first.measure) == (
        "97530", AuthDecision.PARTIALLY_APPROVED, 8, "visits",
    )  # fmt: skip
    assert (second.procedure_code, second.decision, second.quantity, second.measure) == (
        "97535", AuthDecision.APPROVED, 16, "units",
    )  # fmt: skip
    assert answer.approved_visits == 8
    assert read.response_for("PA-9999") is None


def test_a_response_in_words():
    answer = read_278(RESPONSE_278.encode()).responses[0]
    text = words(answer)
    assert text[:3] == [
        "Authorization: approved in part (certified partially)",
        "Authorization number: CERT55501",
        "Approved dates: from 01/12/2026 to 02/28/2026",
    ]
    assert "97530: approved in part (certified partially), 8 visits approved" in text[-3]


def test_a_subscriber_the_payer_did_not_find_is_not_answered_with_what_to_do():
    read = read_278(SUBSCRIBER_NOT_FOUND_278.encode())
    answer = read.response_for("PA-2001")
    assert answer is not None and answer.decision is AuthDecision.NOT_ANSWERED
    (rejection,) = answer.rejections
    assert (rejection.level, rejection.code, rejection.follow_up) == ("subscriber", "75", "C")
    assert words(answer)[1].startswith("Rejected: the payer did not find the subscriber")


def test_a_payer_level_rejection_is_not_answered():
    text = replace_in(SUBSCRIBER_NOT_FOUND_278, "AAA*N**75*C~\n", "")
    text = replace_in(text, "PI*12345~\n", "PI*12345~\nAAA*N**42*R~\n")
    assert validate(text.encode()) == []
    (answer,) = read_278(text.encode()).responses
    assert [(r.level, r.code) for r in answer.rejections] == [("payer", "42")]


def test_a_denial_and_a_pend_read_as_such():
    denied = replace_in(RESPONSE_278, "HCR*A2*CERT55501*04~", "HCR*A3**09~")
    assert read_278(denied.encode()).responses[0].decision is AuthDecision.DENIED
    pended = replace_in(RESPONSE_278, "HCR*A2*CERT55501*04~", "HCR*A4~")
    answer = read_278(pended.encode()).responses[0]
    assert (answer.decision, answer.certification_number) == (AuthDecision.PENDED, "")


def test_the_guide_example_request_reads_into_what_it_asks():
    (request,) = read_278(REQUEST_278.encode()).requests
    assert (request.trace, request.originator, request.member_id) == (
        "PA-2001", "1123456789", "ABC1230",
    )  # fmt: skip
    assert (request.start, request.end) == (dt.date(2026, 1, 12), dt.date(2026, 3, 12))
    assert request.diagnoses == ("M6281", "R2689")
    assert [(a.report_type, a.control_number) for a in request.attachments] == [("08", "POC-2001")]
    assert request.servicing is not None and request.servicing.npi == "1245319599"
    assert (request.patient and request.patient.first_name, request.relationship) == (
        "TIM",
        "child",
    )
    assert request.visits_asked == 12


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        (RESPONSE_278, "HCR*A2*", "HCR*A9*", "segment 17 HCR HCR01: 'A9' is not one of the guide's"),
        (RESPONSE_278, "HCR*A2*CERT55501*04~\n", "", "HCR is required in loop 2000E"),
        (RESPONSE_278, "*04~\nREF", "*0444~\nREF", "segment 17 HCR HCR03: '0444' is not 1 to 2"),
        (RESPONSE_278, "DTP*007*RD8*20260112-2026", "DTP*008*RD8*20260112-2026", "DTP01: '008'"),
        (RESPONSE_278, "TRN*2*", "TRN*3*", "segment 14 TRN TRN01: '3' is not one of the guide's"),
        (RESPONSE_278, "NM1*X3*", "NM1*PR*", "segment 6 NM1: NM1 is not expected here"),
        (SUBSCRIBER_NOT_FOUND_278, "AAA*N**75*C", "AAA*N**75*Q", "AAA04: 'Q' is not one"),
        (REQUEST_278, "UM*HS*I*AD*11:B", "UM*XX*I*AD*11:B", "segment 19 UM UM01: 'XX' is not"),
        (REQUEST_278, "UM*HS*I*AD*11:B", "UM*HS*I**11:B", "segment 19 UM UM03: is required"),
        (REQUEST_278, "*11:B~", "*11:Q~", "segment 19 UM UM04-2: 'Q' is not one of the guide's"),
        (REQUEST_278, "HI*ABK:", "HI*ZZZ:", "segment 21 HI HI01-1: 'ZZZ' is not one of the guide"),
        (REQUEST_278, "PWK*08*FX", "PWK*08*QQ", "segment 22 PWK PWK02: 'QQ' is not one"),
        (REQUEST_278, "HSD*VS*12", "HSD*VV*12", "segment 28 HSD HSD01: 'VV' is not one"),
        (REQUEST_278, "HSD*VS*12", "HSD*VS*1O", "segment 28 HSD HSD02: '1O' is not of type R"),
        (REQUEST_278, "SV1*HC:97530", "SV1*XX:97530", "segment 27 SV1 SV101-1: 'XX' is not"),
        (REQUEST_278, "NM1*SJ*", "NM1*ZZ*", "segment 23 NM1: NM1 is not expected here"),
        (REQUEST_278, "HL*6*5*SS*0", "HL*6*5*SS*1", "segment 25 HL HL04: '1' is not one"),
        (REQUEST_278, "*MI*ABC1230", "*ZZ*ABC1230", "segment 11 NM1 NM108: 'ZZ' is not one"),
        (REQUEST_278, "BHT*0007*13*PA-2001*20260105*0900", "BHT*0007*13*PA-2001*20260105*0900*18",
         "segment 4 BHT BHT06: '18' is not one of the guide's codes"),
        (REQUEST_278, "GS*HI*", "GS*HS*", "segment 2 GS GS01: is 'HS', expected 'HI' for a 278"),
        (REQUEST_278, "*X*005010X217~", "*X*005010X279A1~", "segment 3 ST GS08: version"),
    ],
)  # fmt: skip
def test_a_mutated_278_is_refused_naming_the_segment_and_element(text, old, new, expected):
    found = [str(f) for f in validate(replace_in(text, old, new).encode())]
    assert any(expected in f for f in found), found


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        ("HSD*VS*8", "HSD*VS*8.5", "HSD02"),
        ("HSD*VS*8", "HSD*VS*1O", "HSD02"),
        ("DTP*036*D8*20260228", "DTP*036*D8*20261328", "DTP03"),
        ("DTP*007*RD8*20260112-20260228~\nDTP*036", "DTP*007*RD8*20260112~\nDTP*036", "DTP03"),
        ("DTP*007*RD8*20260112-20260228~\nDTP*036", "DTP*007*RD8*20260112-2026022X~\nDTP*036",
         "DTP03"),
        ("BHT*0007*11*", "BHT*0007*08*", "BHT02"),
        ("ST*278*", "ST*271*", "ST01"),
    ],
)  # fmt: skip
def test_the_reader_refuses_a_value_it_cannot_read_naming_the_element(old, new, element):
    with pytest.raises(X12Error) as caught:
        read_278(replace_in(RESPONSE_278, old, new).encode())
    assert caught.value.element == element, str(caught.value)


def test_a_request_without_dates_or_services_is_refused_naming_the_segment():
    no_dates = REQUEST_278.replace("DTP*AAH*RD8*20260112-20260312~\n", "")
    no_dates = no_dates.replace("DTP*472*RD8*20260112-20260312~\n", "")
    with pytest.raises(X12Error, match="the dates asked for") as caught:
        read_278(no_dates.encode())
    assert caught.value.segment_id == "DTP"
    no_service = REQUEST_278.split("HL*6*5*SS*0~")[0] + "SE*24*0001~\nGE*1*21~\nIEA*1*000000021~\n"
    with pytest.raises(X12Error, match="a service") as caught:
        read_278(no_service.encode())
    assert caught.value.segment_id == "HL"


@pytest.mark.parametrize(("name", "text"), segment_mutations(RESPONSE_278), ids=lambda v: v[:12])
def test_a_mutated_response_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "278_response", read_278)


@pytest.mark.parametrize(
    ("name", "text"), segment_mutations(SUBSCRIBER_NOT_FOUND_278), ids=lambda v: v[:12]
)
def test_a_mutated_rejection_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "278_response", read_278)


@pytest.mark.parametrize(("name", "text"), segment_mutations(REQUEST_278), ids=lambda v: v[:12])
def test_a_mutated_guide_request_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "278", read_278)


@settings(
    max_examples=150, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(
    seed=st.sampled_from([REQUEST_278, RESPONSE_278, SUBSCRIBER_NOT_FOUND_278]),
    edits=x12_mutations(),
)
def test_fuzzed_278s_are_read_or_refused_with_an_x12_error(seed, edits):
    data = mutate_x12(seed.encode(), edits)
    for reader in (read_278, validate):
        try:
            reader(data)
        except X12Error as exc:
            assert str(exc).encode("utf-8")


@pytest.mark.parametrize(
    ("text", "kind"),
    [(EXAMPLE_1A_278, "request"), (EXAMPLE_1B_278, "response"), (EXAMPLE_6A_278, "request")],
    ids=["1a referral request", "1b its response", "6a services reservation"],
)
def test_the_guides_published_examples_follow_the_tables_and_read(text, kind):
    assert validate(text.encode()) == []
    read = read_278(text.encode())
    assert read.kind == kind
    if kind == "response":
        answer = read.response_for("111099")
        assert answer is not None
        assert (answer.decision, answer.certification_number) == (AuthDecision.APPROVED, "AUTH0001")
        assert (answer.start, answer.end) == (dt.date(2005, 5, 15), dt.date(2005, 6, 15))
    else:
        (request,) = read.requests
        assert request.subscriber.last_name == "SMITH" and request.lines[0].quantity == 1
        assert request.requester.name in ("GARDENER", "GARDNER")


@pytest.mark.parametrize(("name", "text"), segment_mutations(EXAMPLE_1B_278), ids=lambda v: v[:12])
def test_a_mutated_guide_example_response_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "278_response", read_278)
