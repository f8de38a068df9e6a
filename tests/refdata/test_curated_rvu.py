"""The curated RVUs shipped with otbill price OT codes by year when no file has been imported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.refdata.store import load_fee_schedule


def test_2025_national_amounts_match_cms():
    fees = load_fee_schedule(dt.date(2025, 2, 14), [])
    assert fees is not None
    assert fees.allowed("97530") == Decimal("34.61")
    assert fees.allowed("97165") == Decimal("100.60")
    assert fees.allowed("97110") == Decimal("28.79")


def test_2026_uses_the_2026_release_and_conversion_factor():
    fees = load_fee_schedule(dt.date(2026, 3, 1), [])
    assert fees is not None and fees.allowed("97530") == Decimal("35.07")  # 1.05 x 33.4009


def test_years_without_a_release_are_not_priced():
    assert load_fee_schedule(dt.date(2024, 5, 1), []) is None
    assert load_fee_schedule(dt.date(2027, 1, 1), []) is None


def test_no_descriptor_is_shipped():
    from importlib import resources

    text = (resources.files("otbill.codes") / "data" / "mpfs_rvu_ot_2025.csv").read_text()
    assert "Therapeutic" not in text and "exercise" not in text.lower()
