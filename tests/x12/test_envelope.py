"""Envelopes: produced with correct counts on write, every mismatch reported on read."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.x12.envelope import (
    ENVELOPE_IDS,
    EnvelopeTracker,
    InterchangeSettings,
    write_interchange,
)
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Segment, read_segments

SETTINGS = InterchangeSettings(
    sender_id="OTBILL",
    receiver_id="CH",
    functional_code="HC",
    version="005010X222A1",
    control_number=42,
    created=dt.datetime(2025, 2, 20, 9, 5),
)
BODIES = [[["BHT", "0019"], ["NM1", "41"]], [["BHT", "0019"]]]


def _check(text: str, expected_set: str | None = None) -> list[str]:
    tracker = EnvelopeTracker(expected_set=expected_set)
    last: Segment | None = None
    for seg in read_segments(text.encode()):
        last = seg
        if seg.id in ENVELOPE_IDS:
            tracker.feed(seg)
    tracker.finish(last)
    return [str(f) for f in tracker.findings]


def test_written_envelope_has_counts_and_control_numbers():
    text = write_interchange(SETTINGS, "837", BODIES)
    lines = text.splitlines()
    assert lines[0].startswith("ISA*00*          *00*          *ZZ*OTBILL         *ZZ*CH     ")
    assert lines[0].endswith("*00501*000000042*0*P*:~") and len(lines[0]) == 106
    assert "ST*837*0001*005010X222A1~" in lines and "SE*4*0001~" in lines
    assert "SE*3*0002~" in lines and lines[-2:] == ["GE*2*42~", "IEA*1*000000042~"]
    assert _check(text) == []


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        ("SE*4*0001~", "SE*5*0001~", "segment 6 SE SE01: is '5', expected 4"),
        ("SE*4*0001~", "SE*4*0009~", "segment 6 SE SE02: is '0009', expected '0001'"),
        ("GE*2*42~", "GE*1*42~", "segment 10 GE GE01: is '1', expected 2"),
        (
            "IEA*1*000000042~",
            "IEA*1*000000043~",
            "segment 11 IEA IEA02: is '000000043', expected '000000042'",
        ),
    ],
)
def test_mismatches_name_position_segment_element_and_expected_value(old, new, finding):
    text = write_interchange(SETTINGS, "837", BODIES).replace(old, new)
    assert [f for f in _check(text) if f.startswith(finding)] != []


def test_missing_trailers_at_end_of_file_are_reported():
    text = write_interchange(SETTINGS, "837", BODIES)
    cut = text[: text.index("SE*3*0002~")]
    findings = _check(cut)
    assert any("without the SE closing segment 7" in f for f in findings)
    assert any("without the IEA closing segment 1" in f for f in findings)


def test_wrong_transaction_set_is_refused():
    text = write_interchange(SETTINGS, "837", BODIES)
    with pytest.raises(X12Error, match="segment 3 ST ST01: is '837', expected '835'"):
        _check(text, expected_set="835")


def test_control_number_out_of_range_is_refused():
    bad = InterchangeSettings(
        sender_id="A", receiver_id="B", functional_code="HC", version="v", control_number=0
    )
    with pytest.raises(X12Error):
        write_interchange(bad, "837", BODIES)
