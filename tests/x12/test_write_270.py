"""The 270 writer: subscriber and dependent inquiries that pass the guide's table, refusals named."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from otbill.domain.eligibility import Inquiry, Person, service_types_for
from otbill.payers import load_profiles
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.tokens import tokenize
from otbill.x12.write_270 import InquiryEnvelope, write_270

WHEN = dt.datetime(2025, 3, 1, 9, 30)
INQUIRY = Inquiry(
    trace="ELG-17-20250303",
    payer_name="Acme Health",
    payer_id="12345",
    provider_name="River OT",
    provider_npi="1234567893",
    subscriber=Person("Jane", "Doe", dt.date(1970, 1, 1), "F"),
    member_id="ABC123",
    date_of_service=dt.date(2025, 3, 3),
    service_types=("AD",),
    originator="1123456789",
)


def _segments(text: str) -> list[str]:
    return ["*".join(s.elements) for s in tokenize(text)]


def test_a_subscriber_inquiry_follows_the_guide():
    text = write_270(INQUIRY, InquiryEnvelope(created=WHEN))
    assert validate(text.encode(), "270") == []
    segs = _segments(text)
    assert "NM1*PR*2*ACME HEALTH*****PI*12345" in segs
    assert "NM1*1P*2*RIVER OT*****XX*1234567893" in segs
    assert "TRN*1*ELG-17-20250303*1123456789" in segs
    assert "NM1*IL*1*DOE*JANE****MI*ABC123" in segs
    assert segs[segs.index("DMG*D8*19700101*F") + 1 :][:2] == ["DTP*291*D8*20250303", "EQ*AD"]
    assert "HL*3*2*22*0" in segs and not any(s.startswith("HL*4") for s in segs)


def test_a_dependent_is_asked_about_in_the_dependent_loop():
    child = dataclasses.replace(
        INQUIRY, dependent=Person("Tim", "Doe", dt.date(2015, 6, 1), "M"), relationship="child"
    )
    text = write_270(child, InquiryEnvelope(created=WHEN))
    assert validate(text.encode(), "270") == []
    segs = _segments(text)
    at = segs.index("HL*4*3*23*0")
    assert segs[at - 2 : at] == ["NM1*IL*1*DOE*JANE****MI*ABC123", "DMG*D8*19700101*F"]
    assert segs[at + 1 : at + 7] == [
        "TRN*1*ELG-17-20250303*1123456789",
        "NM1*03*1*DOE*TIM",
        "DMG*D8*20150601*M",
        "INS*N*19",
        "DTP*291*D8*20250303",
        "EQ*AD",
    ]
    assert "HL*3*2*22*1" in segs


def test_procedure_codes_are_asked_when_the_profile_says_and_pt_with_ot():
    both = dataclasses.replace(
        INQUIRY, service_types=service_types_for(("OT", "PT")), procedure_codes=("97530",)
    )
    text = write_270(both, InquiryEnvelope(created=WHEN))
    assert validate(text.encode(), "270") == []
    eqs = [s for s in _segments(text) if s.startswith("EQ")]
    assert eqs == ["EQ*AD", "EQ*PT", "EQ*AD*HC:97530", "EQ*PT*HC:97530"]


def test_service_types_fall_back_to_health_benefit_plan_coverage():
    assert service_types_for(("OT",)) == ("AD",)
    assert service_types_for(("PT", "OT")) == ("AD", "PT")
    assert service_types_for(("SLP",)) == ("30",)
    assert service_types_for(()) == ("30",)


def test_the_profile_field_says_which_payers_want_procedure_codes():
    profiles = load_profiles()
    assert profiles["commercial-in-network"].eligibility_procedure_codes is True
    assert profiles["medicare"].eligibility_procedure_codes is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"member_id": "AB*12"}, "270: the member ID 'AB*12' contains the X12 separator '*'"),
        ({"member_id": " "}, "270: the member ID is empty"),
        ({"member_id": "X" * 81}, "270: the member ID 'XXXXXXXXXXXXXXXXXXXX'… is over 80"),
        ({"provider_npi": "12345"}, "270: the provider NPI '12345' is not 10 digits"),
        ({"originator": "1"}, "270: TRN03 '1': needs '1' and the clinic's 9-digit EIN"),
        ({"service_types": ()}, "270: no service type to ask about"),
        ({"subscriber": Person("Jane", "Do~e")}, "contains the X12 separator '~'"),
    ],
)
def test_a_value_that_would_break_the_file_is_refused_by_name(change, message):
    with pytest.raises(X12Error) as exc:
        write_270(dataclasses.replace(INQUIRY, **change))
    assert message in str(exc.value)
