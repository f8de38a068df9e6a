"""The tokenizer: delimiters from ISA or inferred, whitespace, encodings, streaming, positions."""

from __future__ import annotations

import pytest

from otbill.x12 import tokens
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters, detect_delimiters, format_segment, read_segments, tokenize
from support.x12kit import corpus_dir

ISA = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250101*1200*^*00501*000000001*0*P*:~"
SMALL = (
    ISA + "GS*HC*S*R*20250101*1200*1*X*005010X222A1~ST*837*0001~SE*2*0001~GE*1*1~IEA*1*000000001~"
)


def test_delimiters_come_from_the_isa():
    d = detect_delimiters(
        "ISA|00|          |00|          |ZZ|A|ZZ|B|250101|1200|!|00501|1|0|P|>#GS"
    )
    assert d == Delimiters(element="|", component=">", repetition="!", segment="#")


def test_isa_with_badly_padded_fields_is_read_by_counting_separators():
    d = detect_delimiters(
        "ISA*00* *00* *ZZ*NVMED *ZZ*99999999*180613*1230*^*00501*100000300*0*P*:~"
    )
    assert d.segment == "~" and d.component == ":"


def test_4010_isa11_is_not_a_repetition_separator():
    assert detect_delimiters(ISA.replace("*^*00501", "*U*00401")).repetition is None


def test_segments_carry_1_based_positions_and_elements():
    segs = tokenize(SMALL)
    assert [s.id for s in segs] == ["ISA", "GS", "ST", "SE", "GE", "IEA"]
    assert segs[2].position == 3 and segs[2].el(1) == "837" and segs[2].el(9) == ""


def test_line_breaks_indentation_and_bom_are_accepted():
    text = "\ufeff" + SMALL.replace("~", "~\r\n    ")
    assert [s.id for s in read_segments(text.encode("utf-8"))] == [s.id for s in tokenize(SMALL)]


def test_utf16_without_bom_is_detected():
    assert len(list(read_segments(SMALL.encode("utf-16-le")))) == 6


def test_newline_as_segment_terminator():
    text = SMALL.replace("*:~", "*:\n").replace("~", "\n")
    assert [s.id for s in read_segments(text.encode())][-1] == "IEA"


def test_0x1d_terminator_file_from_the_corpus():
    segs = list(read_segments(corpus_dir() / "270" / "oop--Example1_IG_0x1D.txt"))
    assert segs[0].delimiters.segment == "\x1d"
    assert segs[-1].id == "IEA" and all("\x1d" not in s.el(1) for s in segs)


def test_file_starting_at_st_infers_separators():
    segs = list(read_segments(b"ST*835*1~BPR*I*10*C*CHK~SVC*HC>97110>GO*10*10~SE*4*1~"))
    assert segs[2].components(1) == ["HC", "97110", "GO"]


def test_composites_and_repetitions():
    seg = tokenize(ISA + "SV1*HC:97530:GO*90*UN*2***1:2~REF*X*A^B~")[1]
    assert seg.components(1) == ["HC", "97530", "GO"] and seg.components(7) == ["1", "2"]
    assert tokenize(ISA + "REF*X*A^B~")[1].repeats(2) == ["A", "B"]


def test_streaming_across_chunk_boundaries(monkeypatch):
    monkeypatch.setattr(tokens, "_CHUNK", 5)
    text = SMALL.replace("~", "~\n  ")
    assert [(s.position, s.elements) for s in read_segments(text.encode())] == [
        (s.position, s.elements) for s in tokenize(SMALL)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"hello world", "not an X12 file"),
        (b"ISA*00*00~", "ISA segment is truncated"),
    ],
)
def test_unreadable_input_is_refused_naming_the_segment(data, message):
    with pytest.raises(X12Error, match=message) as exc:
        list(read_segments(data))
    assert exc.value.position == 1


def test_format_segment_drops_trailing_empty_elements():
    assert format_segment(Delimiters(), "NM1", "IL", "1", "LEE", "", "") == "NM1*IL*1*LEE~"
