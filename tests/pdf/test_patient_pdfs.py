"""The price list, superbill and Good Faith Estimate PDFs: every value they must carry is in the
text pypdf reads back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.domain.parties import Patient
from otbill.pdf.good_faith_estimate import (
    DISCLAIMERS,
    EstimateLine,
    GoodFaithEstimate,
    render_good_faith_estimate,
)
from otbill.pdf.price_list import PriceLine, PriceList, render_price_list
from otbill.pdf.superbill import Superbill, SuperbillLine, render_superbill
from support.pdftext import pdf_text

PATIENT = Patient(7, "MRN7", "Zoë", "Ortiz", dt.date(1950, 6, 1), "F", "4 Elm St", "Austin",
                  "TX", "78702")  # fmt: skip
DAY = dt.date(2025, 4, 1)


def test_price_list_pdf_shows_each_code_price_and_dates() -> None:
    prices = PriceList("Hands On OT", "9 Oak Ave, Austin, TX 78701", DAY, (
        PriceLine("97110", "Therapeutic exercise", "each 15 minutes", Decimal("60.00"),
                  dt.date(2025, 1, 1)),
        PriceLine("97165", "OT evaluation, low complexity", "per session", Decimal("180.00"),
                  dt.date(2025, 1, 1), Decimal("190.00"), dt.date(2025, 7, 1)),
    ), True)  # fmt: skip
    text = pdf_text(render_price_list(prices))
    for value in ("Hands On OT", "9 Oak Ave, Austin, TX 78701", "Prices in force on 2025-04-01",
                  "97110", "$60.00", "97165", "$180.00", "from 2025-07-01: $190.00",
                  "each 15 minutes", "per session", "2025-01-01"):  # fmt: skip
        assert value in text, value


def test_superbill_pdf_carries_provider_ids_diagnoses_codes_and_totals() -> None:
    lines = (
        SuperbillLine(dt.date(2025, 2, 10), "11", "97530", "Therapeutic activities", ("GO", "59"),
                      3, Decimal("180.00"), Decimal("70.00"), ("M62.81",), "1000000108"),
        SuperbillLine(dt.date(2025, 2, 12), "11", "97110", "Therapeutic exercise", (), 2,
                      Decimal("110.00"), Decimal("0.00"), ("M62.81",), "1000000108"),
    )  # fmt: skip
    bill = Superbill("Hands On OT", "9 Oak Ave, Austin, TX 78701", "1000009008", "741234567",
                     PATIENT, dt.date(2025, 2, 1), dt.date(2025, 2, 28),
                     (("Rita Cole, OTR/L", "1000000108"),),
                     (("M62.81", "Muscle weakness (generalized)"),), lines)  # fmt: skip
    assert bill.total_charges == Decimal("290.00") and bill.balance == Decimal("220.00")
    text = pdf_text(render_superbill(bill, issued_on=DAY))
    for value in ("Superbill", "NPI", "1000009008", "74-1234567", "Rita Cole, OTR/L, NPI 1000000108",
                  "Zoë Ortiz", "1950-06-01", "M62.81", "Muscle weakness (generalized)",
                  "2025-02-10", "97530", "GO, 59", "$180.00", "$70.00", "97110", "$110.00",
                  "Total charges $290.00", "Paid $70.00", "Balance due $220.00",
                  "from 2025-02-01 to 2025-02-28"):  # fmt: skip
        assert value in text, value


def test_good_faith_estimate_pdf_has_the_content_45_cfr_149_610_requires() -> None:
    gfe = GoodFaithEstimate(
        "Hands On OT", "1000009008", "741234567", "Hands On OT, 9 Oak Ave, Austin, TX 78701", "TX",
        PATIENT, "Outpatient occupational therapy: 16 treatment visits", dt.date(2025, 2, 3), 16,
        "the plan of care starting 2025-02-03: 2 visits a week for 8 weeks",
        (("M62.81", "Muscle weakness (generalized)"),),
        (EstimateLine("97530", "Therapeutic activities", 2, 16, Decimal("60.00"), ("M62.81",)),),
        DAY,
    )  # fmt: skip
    assert gfe.total == Decimal("1920.00")
    text = pdf_text(render_good_faith_estimate(gfe))
    required = (
        "Good Faith Estimate", "Date issued: 2025-04-01",  # date issued
        "Zoë Ortiz", "1950-06-01",  # (c)(1)(i) name and date of birth
        "Outpatient occupational therapy: 16 treatment visits", "2025-02-03",  # (ii) primary
        "97530", "M62.81", "$60.00", "$1,920.00",  # (iii)-(iv) itemized, codes, charges
        "1000009008", "74-1234567", "9 Oak Ave, Austin, TX 78701", "state: TX",  # (v)
        "scheduled separately",  # (vii)
        "must be scheduled or requested separately",  # (viii)
        "only an estimate",  # (ix)
        "at least $400 more", "dispute resolution", "www.cms.gov/nosurprises",  # (x)
        "will not affect the quality",
    )  # fmt: skip
    for value in required:
        assert value in text, value
    for disclaimer in DISCLAIMERS:
        assert " ".join(disclaimer.split()[:6]) in text
