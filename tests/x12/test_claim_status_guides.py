"""The 276/277 (005010X212) guide tables: every corpus file read or refused naming the segment."""

from __future__ import annotations

import pytest

from otbill.x12.guide_rules import guide, validate
from support.x12claimstatus import DEMO_276, DEMO_277, replace_in
from support.x12kit import corpus_files

# The oop-- example was labelled 005010X279 (the 270's guide) by its author: refused at GS08.
EXPECTED = {
    "oop--Example1_IG.txt": ["segment 3 ST GS08: version '005010X279', expected '005010X212'"]
}


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize(
    "path", corpus_files("276") + corpus_files("277"), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_every_corpus_276_277_is_read_or_refused_naming_the_segment(path):
    findings = validate(path)
    assert all(f.position and f.segment_id for f in findings)
    assert [str(f) for f in findings] == EXPECTED.get(path.name, [])


def test_the_tables_load_with_their_version_and_group():
    assert (guide("276").functional_code, guide("277").functional_code) == ("HR", "HN")
    assert guide("276").version == guide("277").version == "005010X212"
    assert {"A1", "F2", "P1", "R16", "E4", "D0"} <= guide("277").codes["status_category"]


def test_the_demo_files_follow_the_guide():
    assert validate(DEMO_276.encode()) == []
    assert validate(DEMO_277.encode()) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("BHT*0010*13*", "BHT*0010*08*", "segment 4 BHT BHT02: '08' is not one of the guide's"),
        ("TRN*1*C-41~\n", "", "segment 14 REF: REF is not expected here"),
        ("REF*1K*", "REF*ZZ*", "segment 15 REF REF01: 'ZZ' is not one of the guide's codes"),
        ("AMT*T3*250.00", "AMT*T3*25O.00", "segment 17 AMT AMT02: '25O.00' is not of type R"),
        ("DTP*472*RD8*", "DTP*472*D9*", "segment 18 DTP DTP02: 'D9' is not one of the guide's"),
        ("NM1*IL*1*DOE*JANE****MI*", "NM1*IL*1*DOE*JANE****ZZ*", "segment 13 NM1 NM108: 'ZZ'"),
        ("NM1*41*2*RIVER OT*****46*CLINIC~\n", "", "loop 2100B information receiver name is"),
        (
            "DMG*D8*19700101",
            "DMG*D8*19701301",
            "segment 12 DMG DMG02: '19701301' is not of type D8",
        ),
        ("GS*HR*", "GS*HN*", "segment 2 GS GS01: is 'HN', expected 'HR' for a 276"),
    ],
)
def test_a_mutated_276_is_refused_naming_the_segment_and_element(old, new, expected):
    found = [str(f) for f in validate(replace_in(DEMO_276, old, new).encode())]
    assert any(expected in f for f in found), found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "STC*F1:65*",
            "STC*F9:65*",
            "segment 14 STC STC01-1: 'F9' is not one of the guide's codes",
        ),
        ("STC*F1:65*", "STC*:65*", "segment 14 STC STC01-1: is required and is empty"),
        ("STC*F1:65*", "STC*F1*", "segment 14 STC STC01-2: is required and is empty"),
        ("*20250320**", "*20251320**", "segment 14 STC STC02: '20251320' is not of type D8"),
        ("*180.00*", "*1,80*", "segment 14 STC STC05: '1,80' is not of type R"),
        ("STC*F1:65*20250320**250.00*180.00*20250321~\n", "", "STC is required in loop 2200D"),
        ("TRN*2*C-41", "TRN*1*C-41", "segment 13 TRN TRN01: '1' is not one of the guide's codes"),
        ("*0901*DG~", "*0901~", "segment 4 BHT BHT06: is required and is empty"),
        ("HL*4*3*22*0~", "HL*4*9*22*0~", "segment 11 HL HL02: names parent HL '9'"),
        ("DTP*472*", "DTP*473*", "segment 17 DTP DTP01: '473' is not one of the guide's codes"),
    ],
)
def test_a_mutated_277_is_refused_naming_the_segment_and_element(old, new, expected):
    found = [str(f) for f in validate(replace_in(DEMO_277, old, new).encode())]
    assert any(expected in f for f in found), found


def test_a_276_checked_as_a_277_is_refused_at_st01():
    found = [str(f) for f in validate(DEMO_276.encode(), "277")]
    assert "segment 3 ST ST01: is '276', expected '277'" in found
