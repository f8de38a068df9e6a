"""``otbill x12 read`` and ``x12 check`` on 270, 271, 276, 277 (X212) and 278: every corpus file
read with the guide's findings, or refused naming the segment; the 276 reader on otbill's own 276;
a 278 request and the simulated payer's response read with the table BHT02 picks."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from otbill.clearinghouse.simulator.prior_auth import answer_278
from otbill.cli.x12 import app
from otbill.x12.dispatch import read_any, transaction_kind
from otbill.x12.findings import X12Error
from otbill.x12.read_276 import read_276
from support import x12prior_auth
from support.x12claimstatus import DEMO_276, DEMO_277, replace_in
from support.x12kit import corpus_dir, corpus_files
from support.x12prior_auth import REQUEST_278

runner = CliRunner()

# The files whose authors broke the guide: exactly these findings (position, segment, element).
EXPECTED = {
    "270/oop--Example1_IG.txt": ["3 ST ST03"],
    "270/oop--Example1_IG_0x1D.txt": ["3 ST ST03"],
    "271/lfh--subscriber-health-benefit-check-error.271": ["10 SE SE02"],
    "271/oop--Example_3_1_2.txt": ["2 GS GS01", "3 ST ST03"],
    "271/oop--Example_3_1_3.txt": ["2 GS GS01", "3 ST ST03"],
    "271/oop--Example_3_2_2.txt": ["2 GS GS01", "3 ST ST03"],
    "271/oop--Example_ErrorWithoutBenefitInfo.txt": ["2 GS GS01", "3 ST ST03"],
    "271/oop--ValidationForSubscriberName.txt": ["2 GS GS01", "3 ST ST03", "13 N4 N401",
                                                 "18 SE SE01"],
    "271/oop--ValidationOnAll.txt": ["2 GS GS01", "3 ST ST03", "31 SE SE01"],
    "276/oop--Example1_IG.txt": ["3 ST GS08"],
}  # fmt: skip
KEY = {"270": "inquiries", "271": "answers", "276": "claims", "277": "answers"}
EXCHANGE = [p for kind in KEY for p in corpus_files(kind)]


def _name(path):
    return f"{path.parent.name}/{path.name}"


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize("path", EXCHANGE, ids=_name)
def test_every_corpus_270_271_276_277_is_read_with_the_guides_findings(path):
    document = read_any(path)
    kind = path.parent.name
    assert document["transaction"] == kind
    found = [f"{f['position']} {f['segment']} {f['element']}" for f in document["findings"]]
    assert found == EXPECTED.get(_name(path), [])
    assert all(f["message"] for f in document["findings"])
    # a file refused by its payer (an AAA at the top) has no person answered, but says so
    assert document[KEY[kind]] or document.get("rejections")


@pytest.mark.shared("corpus/x12")
def test_the_corpus_276_with_a_dependent_and_a_line_only_claim():
    questions = read_276(corpus_dir() / "276" / "lfh--claim-level-status.276").questions
    assert [q.trace for q in questions] == ["ABCXYZ1", "ABCXYZ2", "ABCXYZ3"]
    first, _, third = questions
    assert first.total_charge == Decimal("8513.88") and first.patient is None
    assert (first.service_from, first.service_to) == (dt.date(2005, 8, 31), dt.date(2005, 9, 6))
    assert first.subscriber is not None and first.subscriber.dob == dt.date(1930, 12, 10)
    assert first.provider_npi == "1666666661" and first.patient_account == "SM123456"
    # the dependent's claim, asked about by its one service line
    assert third.patient is not None and third.patient.first_name == "JOSEPH"
    assert third.subscriber is not None and third.subscriber.last_name == "MANN"
    assert third.provider_name == "HOME HOSPITAL PHYSICANS"
    assert (third.total_charge, third.service_from, third.service_lines) == (None, None, 1)


def test_our_own_276_reads_back():
    (question,) = read_276(DEMO_276.encode()).questions
    assert (question.trace, question.payer_claim_number, question.member_id) == (
        "C-41", "PCN9001", "ABC123",
    )  # fmt: skip
    assert question.total_charge == Decimal("250.00") and question.payer_id == "12345"


def test_a_276_date_that_is_not_a_date_is_refused_naming_the_element():
    with pytest.raises(X12Error, match="DTP03"):
        read_276(replace_in(DEMO_276, "20250303-20250305", "20251303-20250305").encode())


def test_a_277_given_to_the_276_reader_is_refused_at_st01():
    with pytest.raises(X12Error, match="ST01"):
        read_276(DEMO_277.encode())


def test_read_and_check_of_a_276_and_a_277_on_the_command_line(tmp_path):
    request, answer = tmp_path / "q.276", tmp_path / "a.277"
    request.write_text(DEMO_276)
    answer.write_text(DEMO_277)
    assert transaction_kind(request) == "276" and transaction_kind(answer) == "277"
    result = runner.invoke(app, ["read", str(request)])
    assert result.exit_code == 0, result.output
    assert "276: 1 claim asked about" in result.stdout
    assert "claim C-41: DOE, JANE, member ABC123, charged 250.00" in result.stdout
    result = runner.invoke(app, ["read", str(answer), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["transaction"] == "277" and document["answers"][0]["trace"] == "C-41"
    assert document["answers"][0]["outcome"] and document["findings"] == []
    result = runner.invoke(app, ["check", str(answer)])
    assert result.exit_code == 0 and "277: checked against the guide's tables" in result.stdout


def test_check_names_the_broken_segment_and_exits_1(tmp_path):
    broken = tmp_path / "broken.276"
    broken.write_text(replace_in(DEMO_276, "REF*1K*", "REF*ZZ*"))
    result = runner.invoke(app, ["check", str(broken), "--json"])
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["position"], finding["segment"], finding["element"]) == (15, "REF", "REF01")
    result = runner.invoke(app, ["read", str(broken)])
    assert result.exit_code == 1 and "segment 15 REF REF01" in result.stdout


@pytest.mark.shared("corpus/x12")
def test_read_a_270_and_a_271_summary():
    result = runner.invoke(app, ["read", str(corpus_dir() / "270" / "lfh--demo.270")])
    assert result.exit_code == 0, result.output
    assert "270: 1 inquiry" in result.stdout and "SMITH, ROBERT" in result.stdout
    path = corpus_dir() / "271" / "lfh--subscriber-health-benefit-check-error.271"
    result = runner.invoke(app, ["read", str(path)])
    assert result.exit_code == 1
    assert "may not ask this payer about eligibility" in result.stdout
    assert "segment 10 SE SE02" in result.stdout


@pytest.mark.shared("corpus/x12")
def test_check_of_a_kind_otbill_does_not_read_checks_the_envelopes_and_says_so():
    result = runner.invoke(app, ["check", str(corpus_dir() / "837i" / "lfh--demo.837i")])
    assert result.exit_code == 0
    assert "only the envelopes checked" in result.stdout


def test_read_and_check_a_278_request_and_its_response(tmp_path):
    request, response = tmp_path / "q.278", tmp_path / "a.278"
    request.write_text(REQUEST_278)
    response.write_bytes(answer_278(REQUEST_278.encode()))
    assert transaction_kind(request) == transaction_kind(response) == "278"
    asked = runner.invoke(app, ["read", str(request)])
    assert asked.exit_code == 0, asked.output
    assert asked.stdout.startswith("278 request: 1 authorization asked for\n  request ")
    assert "no findings" in asked.stdout
    answered = runner.invoke(app, ["read", str(response), "--json"])
    assert answered.exit_code == 0, answered.output
    document = json.loads(answered.stdout)
    assert (document["transaction"], document["kind"], document["findings"]) == (
        "278", "response", [],
    )  # fmt: skip
    (answer,) = document["responses"]
    assert answer["decision"] and answer["words"][0].startswith("Authorization")
    # the response is checked against the response table (BHT02 11), not the request's
    checked = runner.invoke(app, ["check", str(response)])
    assert checked.exit_code == 0 and "278: checked against the guide's tables" in checked.stdout
    broken = tmp_path / "broken.278"
    broken.write_text(REQUEST_278.replace("UM*HS*", "UM*ZZ*"))
    refused = runner.invoke(app, ["check", str(broken), "--json"])
    assert refused.exit_code == 1
    assert [f["segment"] for f in json.loads(refused.stdout)["findings"]] == ["UM"]


@pytest.mark.parametrize(
    ("name", "kind", "decisions"),
    [
        ("REQUEST_278", "request", []),
        ("EXAMPLE_1A_278", "request", []),
        ("EXAMPLE_6A_278", "request", []),
        ("EXAMPLE_1B_278", "response", ["approved"]),
        ("RESPONSE_278", "response", ["partially-approved"]),
        ("SUBSCRIBER_NOT_FOUND_278", "response", ["not-answered"]),
    ],
)
def test_the_guides_278_examples_read_clean(tmp_path, name, kind, decisions):
    path = tmp_path / f"{name}.278"
    path.write_text(getattr(x12prior_auth, name))
    document = read_any(path)
    assert (document["kind"], document["findings"]) == (kind, [])
    assert [r["decision"] for r in document["responses"]] == decisions
    assert len(document["requests"]) == (kind == "request")
