"""The 270/271 guide validator: every corpus file read or refused naming the segment; mutations."""

from __future__ import annotations

import pytest

from otbill.x12.guide_rules import check_segments, guide, load_guide, validate
from otbill.x12.tokens import tokenize
from support.x12eligibility import THERAPY_271, replace_271
from support.x12kit import corpus_files

# Findings that are true of the corpus file (other than its GS01/ST03 labels): the oop-- files
# were written for 005010X279 (not X279A1) under GS01 'XX', and a few were made broken on purpose.
EXPECTED = {
    "lfh--subscriber-health-benefit-check-error.271": [
        "segment 10 SE SE02: is '4323', expected '4321' (the ST control number at segment 3)"
    ],
    "oop--ValidationForSubscriberName.txt": [
        "segment 13 N4 N401: is required and is empty",
        "segment 18 SE SE01: is '22', expected 16",
    ],
    "oop--ValidationOnAll.txt": ["segment 31 SE SE01: is '22', expected 29"],
}
LABELS = ("GS GS01: is 'XX'", "ST ST03: version '005010X279',")

DEMO_271 = """ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *250301*1200*^*00501*000000001*0*T*:~
GS*HB*PAYER*CLINIC*20250301*1200*1*X*005010X279A1~
ST*271*0001*005010X279A1~
BHT*0022*11*TR1*20250301*1200~
HL*1**20*1~
NM1*PR*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*3*2*22*0~
TRN*2*TR1*9877281234~
NM1*IL*1*DOE*JANE****MI*ABC123~
DMG*D8*19700101*F~
DTP*346*D8*20250101~
EB*1*IND*30**GOLD PLAN~
EB*F*IND*AD***27***VS*20**N~
MSG*OT LIMITED TO 20 VISITS PER CALENDAR YEAR~
EB*B*IND*AD***27*25.00*****Y~
SE*16*0001~
GE*1*1~
IEA*1*000000001~
"""


@pytest.mark.shared("corpus/x12")
@pytest.mark.parametrize(
    "path", corpus_files("270") + corpus_files("271"), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_every_corpus_270_271_is_read_or_refused_naming_the_segment(path):
    findings = validate(path)
    assert all(f.position and f.segment_id for f in findings)
    facts = [str(f) for f in findings if not any(label in str(f) for label in LABELS)]
    assert facts == EXPECTED.get(path.name, [])
    if b"005010X279A1" not in path.read_bytes():  # labelled 005010X279: refused at ST03
        assert any("ST ST03" in str(f) for f in findings)


def test_a_clean_271_has_no_findings():
    assert validate(DEMO_271.encode()) == []


def _mutated(old: str, new: str) -> list[str]:
    assert old in DEMO_271
    return [str(f) for f in validate(DEMO_271.replace(old, new, 1).encode())]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("EB*F*IND*AD", "EB*ZZ*IND*AD", "segment 15 EB EB01: 'ZZ' is not one of the guide's codes"),
        ("EB*1*IND*30*", "EB*1*IND*30^Q9*", "segment 14 EB EB03: 'Q9' is not one of the guide's"),
        ("*VS*20*", "*VS*20x*", "segment 15 EB EB10: '20x' is not of type R"),
        (
            "DMG*D8*19700101",
            "DMG*D8*19701301",
            "segment 12 DMG DMG02: '19701301' is not of type D8",
        ),
        (
            "NM1*IL*1*DOE*JANE****MI*ABC123",
            "NM1*IL*1*DOE*JANE****MI*" + "X" * 81,
            "is not 2 to 80 characters long",
        ),
        ("HL*1**20*1", "HL*1*1*20*1", "segment 5 HL HL02: must be empty here, is '1'"),
        ("HL*3*2*22*0", "HL*4*2*22*0", "segment 9 HL HL01: is '4', expected 3"),
        ("HL*3*2*22*0", "HL*3*7*22*0", "segment 9 HL HL02: names parent HL '7'"),
        (
            "BHT*0022*11*",
            "BHT*0022*13*",
            "segment 4 BHT BHT02: '13' is not one of the guide's codes",
        ),
        ("NM1*IL*1*DOE*JANE****MI*ABC123~\n", "", "loop 2100C subscriber name is required"),
        ("TRN*2*TR1*9877281234~\n", "TRN*2*TR1*9877281234~\nAAA*Y**99*C~\n", "AAA is not expected"),
        ("MSG*OT", "AAA*Y**99*C~\nMSG*OT", "segment 16 AAA AAA03: '99' is not one of"),
        ("MSG*OT", "AAA*Y**72~\nMSG*OT", "segment 16 AAA AAA04: is required and is empty"),
        ("SE*16*", "SE*15*", "segment 18 SE SE01: is '15', expected 16"),
        (
            "NM1*PR*2*ACME HEALTH*****PI*12345~\n",
            "",
            "loop 2100A information source name is required",
        ),
        ("BHT*0022*11*TR1*20250301*1200~\n", "", "BHT is required in the set"),
        ("GS*HB*", "GS*HS*", "segment 2 GS GS01: is 'HS', expected 'HB' for a 271"),
    ],
)
def test_a_mutated_271_is_refused_naming_the_segment_and_element(old, new, expected):
    found = _mutated(old, new)
    assert any(expected in f for f in found), found


def test_the_rules_are_data_a_table_changes_what_is_refused():
    table = """
set: "271"
version: "005010X279A1"
functional_code: HB
codes: {eb01: ["1"]}
segments: {EB: {1: {req: true, codes: eb01}}}
body:
  - {seg: BHT, min: 1}
  - loop: 2000A
    max: 0
    body:
      - {seg: HL, min: 1}
      - {seg: NM1}
      - {seg: TRN}
      - {seg: DMG}
      - {seg: DTP}
      - {seg: EB, max: 9}
      - {seg: MSG}
"""
    found = [str(f) for f in check_segments(tokenize(DEMO_271), load_guide(table))]
    assert "segment 15 EB EB01: 'F' is not one of the guide's codes for EB01" in found
    assert not [f for f in found if "EB01" in f and "segment 14" in f]  # '1' is in the list
    assert validate(DEMO_271.encode()) == []  # the shipped table allows 'F'


def test_a_270_checked_as_a_271_is_refused_at_st01():
    text = DEMO_271.replace("ST*271*", "ST*270*").encode()
    assert "segment 3 ST ST01: is '270', expected '271'" in [str(f) for f in validate(text, "271")]


def test_the_270_and_271_tables_load_with_their_versions():
    assert (guide("270").functional_code, guide("271").functional_code) == ("HS", "HB")
    assert guide("270").version == guide("271").version == "005010X279A1"


def test_a_benefit_related_entity_needs_a_guide_entity_code():
    assert validate(THERAPY_271.encode(), "271") == []
    text = replace_271("NM1*PRP*2*SUNNY", "NM1*ZZ*2*SUNNY").encode()
    assert [str(f) for f in validate(text, "271")] == [
        "segment 33 NM1 NM101: 'ZZ' is not one of the guide's codes for NM101"
    ]
