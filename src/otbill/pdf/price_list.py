"""The clinic's price list as a PDF: the same prices as the public /prices page.

One price per code for every payer and for patients paying themselves (the charge master), each
with the date it took effect and a change already entered for a later date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.pdf._layout import document, latin1, money, paragraph, table

__all__ = ["PriceLine", "PriceList", "render_price_list"]


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One code's price per unit, the day it took effect, and a later change already entered."""

    code: str
    description: str  # otbill's own words, never the AMA's descriptor
    unit: str  # "each 15 minutes" or "per session"
    price: Decimal
    since: dt.date
    next_price: Decimal | None = None
    next_from: dt.date | None = None

    @property
    def change(self) -> str:
        """'' or 'from 2026-01-01: $65.00'."""
        if self.next_price is None or self.next_from is None:
            return ""
        return f"from {self.next_from.isoformat()}: {money(self.next_price)}"


@dataclass(frozen=True, slots=True)
class PriceList:
    """The clinic's prices in force on ``on``, and whether the clinic publishes them."""

    clinic_name: str
    address: str  # one line: street, city, state and ZIP
    on: dt.date
    lines: tuple[PriceLine, ...]
    published: bool


NOTE = (
    "These are the clinic's charges for each service, the same for every insurance plan and for "
    "patients who pay for themselves. A timed service is charged per 15 minutes of treatment; "
    "an untimed one once per session. What a plan pays and what you owe depends on your plan."
)


def render_price_list(prices: PriceList) -> bytes:
    """The list as PDF bytes, dated the day the prices are in force."""
    pdf = document(f"Price list - {prices.clinic_name}", prices.on)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 5, latin1(prices.address), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, f"Prices in force on {prices.on.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    paragraph(pdf, NOTE)
    pdf.ln(3)
    if not prices.lines:
        paragraph(pdf, "The clinic has entered no prices yet.", bold=True)
        return bytes(pdf.output())
    rows = [
        (p.code, p.description, p.unit, money(p.price), p.since.isoformat(), p.change)
        for p in prices.lines
    ]
    header = ("Code", "Service", "Charged", "Price", "Since", "Change entered")
    table(pdf, header, rows, (14, 70, 26, 20, 20, 30), right=(3,))
    return bytes(pdf.output())
