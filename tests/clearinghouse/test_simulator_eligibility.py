"""The simulated payer answers 270s with 271s that follow the guide, one scenario per member ID."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer, scenario_of
from otbill.clearinghouse.transport import TransportError
from otbill.domain.eligibility import Inquiry, Person
from otbill.domain.eligibility_summary import Coverage271, Pair, summarize
from otbill.x12.guide_rules import validate
from otbill.x12.read_270 import read_270
from otbill.x12.read_271 import read_271
from otbill.x12.write_270 import InquiryEnvelope, write_270

VISIT = dt.date(2025, 3, 3)
BASE = Inquiry(
    trace="ELG-5-20250303",
    payer_name="Acme Health",
    payer_id="12345",
    provider_name="River OT",
    provider_npi="1234567893",
    subscriber=Person("Jane", "Doe", dt.date(1970, 1, 1), "F"),
    member_id="ABC120",
    date_of_service=VISIT,
    service_types=("AD",),
    originator="1123456789",
)


def _ask(member_id: str, **change: object) -> tuple[bytes, Coverage271]:
    payer: RealTimeTransport = SimulatedEligibilityPayer()
    inquiry = dataclasses.replace(BASE, member_id=member_id, **change)
    answer = payer.exchange(
        write_270(inquiry, InquiryEnvelope(created=dt.datetime(2025, 3, 1))).encode()
    )
    read = read_271(answer)
    found = read.answer_for(inquiry.trace)
    assert found is not None
    return answer, summarize(found, VISIT, inquiry.service_types)


@pytest.mark.parametrize("digit", list("0123456789"))
def test_every_answer_follows_the_guide(digit):
    answer, _ = _ask(f"ABC12{digit}")
    assert validate(answer, "271") == []


def test_an_active_member_has_therapy_figures_and_a_visit_limit_in_eb():
    _, c = _ask("ABC120")
    assert (c.active, c.service_type, c.plan_name) == (True, "AD", "OTBILL GOLD PPO")
    assert (c.plan_begin, c.plan_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert c.copay == Pair(Decimal(25), Decimal(50))
    assert c.coinsurance_percent == Pair(Decimal(20), Decimal(40))
    assert c.deductible_remaining == Pair(Decimal(150), Decimal(900))
    assert c.out_of_pocket_remaining == Pair(Decimal(2000), Decimal(6000))
    assert c.visit_limit == 20 and c.visits_used is not None
    assert c.visits_remaining == 20 - c.visits_used
    assert c.authorization_required is True


def test_a_limit_in_msg_text_and_medicare_advantage():
    _, c = _ask("ABC123")
    assert (c.visit_limit, c.limit_period) == (20, "calendar year")
    assert c.limit_evidence == ("OT LIMITED TO 20 VISITS PER CALENDAR YEAR, PT AND OT COMBINED",)
    _, ma = _ask("ABC124")
    assert [o.medicare_advantage for o in ma.other_payers] == [True]


def test_inactive_and_rejections():
    _, c = _ask("ABC126")
    assert c.active is False and c.status == "inactive"
    _, wrong = _ask("ABC127")
    assert wrong.active is None and wrong.problems[0][0] == "the member ID is wrong or missing"
    _, dob = _ask("ABC128")
    assert dob.problems[0][0] == "the date of birth does not match the payer's"
    _, later = _ask("ABC129")
    assert later.problems[0] == (
        "the payer cannot answer now",
        "try again later; sending again is allowed",
    )


def test_a_dependent_is_answered_in_the_dependent_loop():
    child = Person("Tim", "Doe", dt.date(2015, 6, 1), "M")
    answer, c = _ask("ABC120", dependent=child, relationship="child", service_types=("PT",))
    assert validate(answer, "271") == []
    found = read_271(answer).answer_for(BASE.trace)
    assert found is not None and (found.dependent, found.first_name) == (True, "TIM")
    assert (c.active, c.service_type) == (True, "PT")


def test_the_scenario_is_chosen_by_the_member_id_and_is_stable():
    assert scenario_of("XYZ7") == "wrong-member-id"
    assert scenario_of("ABCDEF") == scenario_of("ABCDEF")


def test_the_270_reads_back_as_the_inquiry_written():
    upper = dataclasses.replace(
        BASE,
        payer_name="ACME HEALTH",
        provider_name="RIVER OT",
        subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
        procedure_codes=("97530",),
    )
    [inquiry] = read_270(write_270(upper).encode()).inquiries
    assert inquiry == upper


def test_a_request_that_is_not_a_270_is_a_transport_error():
    payer = SimulatedEligibilityPayer()
    with pytest.raises(TransportError) as exc:
        payer.exchange(b"hello")
    assert "the simulated payer could not read the 270: segment 1: not an X12 file" in str(
        exc.value
    )
    assert len(payer.requests) == 1
