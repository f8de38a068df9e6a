"""The 1500 claim form in tests: made-up claims of four and seven lines, and a PDF read back.

A page is read with pypdfium2: :func:`text_at` is the text inside one spot of the form's layout
table (the grid rectangle, in PDF points), :func:`page_image` the page as a greyscale image.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from otbill.domain.claim import Claim
from otbill.pdf.cms1500_layout import COL_MM, ROW_MM, Spot
from support.claimkit import clean_claim_data, make_claim

PRINTED_ON = dt.date(2025, 3, 3)
POINTS_PER_MM = 72 / 25.4
SCALE = 2  # 144 dots per inch

# (code, modifiers, units, charge, pointers): a week of made-up OT visits, one line each
LINES: list[tuple[str, list[str], int, str, list[int]]] = [
    ("97165", ["GO"], 1, "150.00", [1, 2]),
    ("97530", ["GO", "59"], 2, "90.00", [1]),
    ("97110", ["GO", "KX"], 3, "105.00", [2, 3]),
    ("97535", ["GO", "CQ", "KX", "59"], 1, "38.50", [1, 2, 3, 4]),
    ("97112", ["GO"], 2, "80.00", [3]),
    ("97140", ["GO"], 1, "35.25", [4]),
    ("97760", ["GO"], 2, "1120.00", [1, 4]),
]
DIAGNOSES = ["M62.81", "R26.89", "S52.501D", "M25.631"]


def paper_claim(count: int, **changes: Any) -> Claim:
    """The clean test claim with ``count`` service lines (up to 7), four diagnoses, a secondary."""
    data = clean_claim_data()
    data["diagnoses"] = list(DIAGNOSES)
    data["rendering_provider"]["taxonomy"] = "225X00000X"
    data["other_coverages"] = [{
        "responsibility": "S", "member_id": "SUP998877", "first_name": "Ann", "last_name": "Lee",
        "group_number": "GRP-42",
        "payer": {"profile": "commercial", "payer_id": "60054", "name": "Aetna Medigap"},
    }]  # fmt: skip
    data["lines"] = [
        {"date": (dt.date(2025, 2, 10) + dt.timedelta(days=n)).isoformat(), "code": code,
         "modifiers": mods, "units": units, "charge": charge, "dx_pointers": pointers,
         "minutes": 15 * units}
        for n, (code, mods, units, charge, pointers) in enumerate(LINES[:count])
    ]  # fmt: skip
    data.update(changes)
    return make_claim(data)


def charges(first: int, last: int) -> Decimal:
    """The sum of the charges of LINES[first:last]."""
    return sum((Decimal(c) for _, _, _, c, _ in LINES[first:last]), Decimal(0))


def pages(pdf: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(pdf)


def text_at(page: pdfium.PdfPage, spot: Spot, row: int | None = None) -> str:
    """The text printed inside ``spot`` (on sheet row ``row``, default the spot's own)."""
    _, height = page.get_size()
    row = spot.row if row is None else row
    left = (spot.col - 1) * COL_MM * POINTS_PER_MM
    right = (spot.col - 1 + spot.width) * COL_MM * POINTS_PER_MM
    top = height - (row - 1) * ROW_MM * POINTS_PER_MM
    bottom = height - row * ROW_MM * POINTS_PER_MM
    text = page.get_textpage().get_text_bounded(left=left, bottom=bottom, right=right, top=top)
    return str(text).strip()


def page_image(page: pdfium.PdfPage) -> Image.Image:
    return page.render(scale=SCALE).to_pil().convert("L")


def pixel(image: Image.Image, x_mm: float, y_mm: float) -> int:
    """The grey level (0 black, 255 white) at a point of the sheet, in mm from its top left."""
    per_mm = POINTS_PER_MM * SCALE
    return int(image.getpixel((round(x_mm * per_mm), round(y_mm * per_mm))))  # type: ignore[arg-type]
