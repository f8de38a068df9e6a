"""Visit limits mined from MSG text: read only when the wording is clear, the text kept."""

from __future__ import annotations

import pytest

from otbill.domain.eligibility_limits import mine


@pytest.mark.parametrize(
    ("text", "kind", "visits", "period", "types"),
    [
        ("OT LIMITED TO 20 VISITS PER CALENDAR YEAR", "limit", 20, "calendar year", ("AD",)),
        ("Maximum of 12 visits per plan year", "limit", 12, "plan year", ("30",)),
        ("PHYSICAL THERAPY 60 VISITS PER BENEFIT YEAR", "limit", 60, "benefit year", ("PT",)),
        ("8 VISITS HAVE BEEN USED", "used", 8, "", ("30",)),
        ("Visits remaining: 4", "remaining", 4, "", ("30",)),
        ("up to 25 therapy visits each year, OT/PT combined", "limit", 25, "year", ("AD", "PT")),
    ],
)
def test_clear_wording_gives_a_limit(text, kind, visits, period, types):
    [limit] = mine(text, ("30",))
    assert (limit.kind, limit.visits, limit.period, limit.service_types) == (
        kind, visits, period, types)  # fmt: skip
    assert (limit.source, limit.evidence) == ("MSG", text)


@pytest.mark.parametrize(
    "text",
    [
        "VISITS MAY BE LIMITED",
        "PRIOR AUTHORIZATION REQUIRED AFTER THE 12TH VISIT",
        "LIMIT OF 20 VISITS PER YEAR; LIMIT OF 30 VISITS PER YEAR WITH REFERRAL",
        "LIMITED TO 1000000 VISITS PER YEAR",
        "COPAY $20 PER VISIT",
    ],
)
def test_unclear_wording_gives_nothing(text):
    assert mine(text, ("AD",)) == []
