"""Hypothesis strategy for claims the 837P writer must accept (and pyx12 must find valid)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from otbill.domain.claim import Claim
from support.claimkit import clean_claim_data, make_claim

NAMES = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ '-", min_size=1, max_size=20)
    .map(lambda s: s.strip() or "A")
    .filter(lambda s: s[0].isalpha())
)
CODES = st.sampled_from(["97110", "97112", "97140", "97530", "97535", "97165", "97166", "97168"])
MODIFIERS = st.lists(st.sampled_from(["GO", "KX", "59", "CO", "95", "XU"]), max_size=4, unique=True)
DIAGNOSES = st.lists(
    st.sampled_from(
        ["M62.81", "R26.89", "M25.611", "G81.91", "I69.351", "M19.041", "S52.501A", "R27.8"]
    ),
    min_size=1,
    max_size=8,
    unique=True,
)
CHARGES = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
DATES = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def claims(draw: st.DrawFn, claim_id: str = "CLM-H") -> Claim:
    data: dict[str, Any] = clean_claim_data()
    diagnoses = draw(DIAGNOSES)
    data.update(
        claim_id=claim_id,
        diagnoses=diagnoses,
        place_of_service=draw(st.sampled_from(["11", "12", "02", "10", "22"])),
    )
    data["patient"].update(first_name=draw(NAMES), last_name=draw(NAMES))
    if draw(st.booleans()):
        data["subscriber"] = {
            "first_name": draw(NAMES),
            "last_name": draw(NAMES),
            "dob": "1960-01-31",
            "sex": draw(st.sampled_from("FMU")),
            "member_id": "W" + str(draw(st.integers(1000, 99999999))),
            "relationship": draw(st.sampled_from(["spouse", "child", "other"])),
        }
    frequency = draw(st.sampled_from("178"))
    data.update(
        frequency_code=frequency,
        original_claim_number=None
        if frequency == "1"
        else "ICN" + str(draw(st.integers(1, 10**9))),
    )
    if draw(st.booleans()):
        data.update(prior_authorization=None)
    if draw(st.booleans()):
        data.update(referring_provider=None)
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        pointers = draw(
            st.lists(st.integers(1, len(diagnoses)), min_size=1, max_size=4, unique=True)
        )
        lines.append(
            {
                "date": draw(DATES).isoformat(),
                "code": draw(CODES),
                "units": draw(st.integers(1, 8)),
                "modifiers": draw(MODIFIERS),
                "charge": str(draw(CHARGES)),
                "dx_pointers": pointers,
            }
        )
    data["lines"] = lines
    return make_claim(data)
