"""Mutated 271s and 270s: every deletion, duplication and truncation is refused naming a segment
or read; nothing crashes."""

from __future__ import annotations

import pytest

from otbill.x12.read_270 import read_270
from otbill.x12.read_271 import read_271
from otbill.x12.write_270 import write_270
from support.x12eligibility import THERAPY_271
from support.x12mutations import refused_naming_a_segment, segment_mutations


@pytest.mark.parametrize(("name", "text"), segment_mutations(THERAPY_271), ids=lambda v: v[:12])
def test_a_mutated_271_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "271", read_271)


def _inquiry_270() -> str:
    import datetime as dt

    from otbill.domain.eligibility import Inquiry, Person

    inquiry = Inquiry(
        trace="T-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
        provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
        member_id="ABC123", date_of_service=dt.date(2025, 3, 3), service_types=("AD", "PT"),
        dependent=Person("TIM", "DOE", dt.date(2015, 6, 1), "M"), relationship="child",
        originator="1123456789",
    )  # fmt: skip
    return write_270(inquiry)


@pytest.mark.parametrize(("name", "text"), segment_mutations(_inquiry_270()), ids=lambda v: v[:12])
def test_a_mutated_270_is_refused_naming_a_segment_or_read(name, text):
    refused_naming_a_segment(text, "270", read_270)
