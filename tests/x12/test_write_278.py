"""The 278 request writer (005010X217): the guide's layout, loop by loop, clean against the guide's
table; values that would break the file refused before writing; every mutation of what it writes
refused naming a segment."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from otbill.domain.prior_auth import Attachment, AuthLine, Person, Provider, icd10_for_x12
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_278 import read_278
from otbill.x12.write_278 import RequestEnvelope, write_278
from support.x12mutations import refused_naming_a_segment, segment_mutations
from support.x12prior_auth import REQUEST_278, sample_request

ENVELOPE = RequestEnvelope(
    sender_id="RIVEROT", receiver_id="ACMEUMO", control_number=21, usage="T",
    created=dt.datetime(2026, 1, 5, 9, 0),
)  # fmt: skip


def _segments(text: str) -> list[str]:
    return [line.rstrip("~") for line in text.splitlines()]


def test_the_request_is_written_in_the_guides_layout():
    assert write_278(sample_request(), ENVELOPE) == REQUEST_278


def test_what_is_written_follows_the_guides_request_table():
    text = write_278(sample_request(), ENVELOPE).encode()
    assert validate(text) == []
    assert validate(text, "278") == []


def test_a_subscriber_patient_has_no_dependent_loop_and_the_event_hangs_from_the_subscriber():
    text = write_278(sample_request(patient=None, relationship="self"), ENVELOPE)
    segments = _segments(text)
    assert "HL*4*3*EV*1" in segments
    assert not any(s.startswith("NM1*QC") or s.startswith("INS") for s in segments)
    assert [s for s in segments if s.startswith("HL*")][-2:] == ["HL*5*4*SS*0", "HL*6*4*SS*0"]
    assert validate(text.encode()) == []


def test_visits_are_asked_in_hsd_and_units_in_sv1():
    segments = _segments(write_278(sample_request(), ENVELOPE))
    assert segments[segments.index("SV1*HC:97530:GO") + 1] == "HSD*VS*12"
    assert "SV1*HC:97535:GO**UN*16" in segments


def test_diagnoses_are_written_without_their_dot_principal_first():
    request = sample_request(diagnoses=("r26.89", "M62.81", "Z96.651"))
    assert "HI*ABK:R2689*ABF:M6281*ABF:Z96651" in _segments(write_278(request, ENVELOPE))


def test_a_person_requester_and_no_taxonomy_no_servicing_no_attachment():
    request = sample_request(
        requester=Provider("SMITH", "1245319599", "ANNA"), servicing=None, attachments=()
    )
    text = write_278(request, ENVELOPE)
    segments = _segments(text)
    assert "NM1*1P*1*SMITH*ANNA****XX*1245319599" in segments
    assert not any(s.startswith(("PRV", "PWK", "NM1*SJ")) for s in segments)
    assert validate(text.encode()) == []


def test_what_is_written_reads_back_as_the_same_request():
    request = sample_request()
    read = read_278(write_278(request, ENVELOPE).encode())
    assert read.kind == "request"
    expected = dataclasses.replace(
        request, diagnoses=tuple(icd10_for_x12(d) for d in request.diagnoses)
    )
    assert read.requests == [expected]
    assert (read.sender_id, read.receiver_id) == ("RIVEROT", "ACMEUMO")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requester": Provider("RIVER OT", "123")}, "the requester's NPI '123' is not 10 digits"),
        ({"servicing": Provider("SMITH", "12453195990", "ANNA")}, "servicing provider's NPI"),
        ({"subscriber": Person("JANE", "DO*E")}, "contains the X12 separator '*'"),
        ({"member_id": ""}, "the member ID is empty"),
        ({"end": dt.date(2026, 1, 1)}, "end (2026-01-01) before they begin"),
        ({"diagnoses": ()}, "no diagnosis"),
        ({"diagnoses": tuple(f"M62.{n}" for n in range(13))}, "13 diagnoses"),
        ({"lines": ()}, "no procedure to ask for"),
        ({"lines": (AuthLine("97530", 0),)}, "97530: 0 visits asked"),
        ({"lines": (AuthLine("97530", 3, "minutes"),)}, "measure 'minutes'"),
        ({"attachments": (Attachment("ZZ", "X1"),)}, "report type 'ZZ'"),
        ({"attachments": (Attachment("08", "X1", "XX"),)}, "transmission 'XX'"),
        ({"attachments": (Attachment("08", "A:B"),)}, "control number 'A:B'"),
        ({"originator": "123"}, "TRN03 '123'"),
        ({"certification_type": "3"}, "UM02 '3'"),
    ],
)
def test_a_value_that_cannot_be_sent_is_refused_naming_it(changes, message):
    with pytest.raises(X12Error, match="278") as caught:
        write_278(sample_request(**changes), ENVELOPE)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("name", "text"), segment_mutations(write_278(sample_request(), ENVELOPE)), ids=lambda v: v[:12]
)
def test_a_mutated_request_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "278", read_278)
