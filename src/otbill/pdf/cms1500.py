"""The 1500 claim form (02/12) as PDF, in two forms, both printed through one layout table.

- ``data``: only the claim's data, in 12-point Courier (10 characters per inch, 6 lines per
  inch: the NUCC's pica grid), placed to print on the red pre-printed form in the tray;
- ``full``: the same data on a complete black-and-white form drawn around it (boxes, captions,
  check boxes, the shaded supplemental rows of item 24), for payers that take a plain-paper image
  and for the clinic's own copy.

Where each value goes is :mod:`otbill.pdf.cms1500_layout`; what each value is,
:mod:`otbill.pdf.cms1500_fields`. One claim with more than six service lines prints as several
forms, one page each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from fpdf import FPDF

from otbill.domain.claim import Claim
from otbill.pdf.cms1500_fields import PaperClaimError, PaperForm, paper_forms, paper_problems
from otbill.pdf.cms1500_layout import (
    BOXES,
    COL_MM,
    LINE_SPOTS,
    LINES_PER_FORM,
    ROW_MM,
    SHADED_COLUMNS,
    SPOTS,
    Box,
    Spot,
    line_row,
)

__all__ = [
    "FORMS",
    "FormKind",
    "PaperClaimError",
    "paper_problems",
    "render_cms1500",
    "render_forms",
]

FormKind = Literal["data", "full"]
FORMS: tuple[FormKind, ...] = ("data", "full")
_DATA_FONT = ("Courier", "", 12.0)  # 7.2 pt per character = 1/10 inch; 12 pt line = 1/6 inch
_CAPTION_FONT = ("Helvetica", "", 5.0)
_DESCENT_MM = 1.0  # the baseline sits this far above the bottom of its grid row
_LINE_MM = 0.25
_SHADE = 225  # the shaded supplemental rows, light grey


def x_of(col: int) -> float:
    """The left edge, in mm from the sheet's left, of grid column ``col``."""
    return (col - 1) * COL_MM


def y_of(row: int) -> float:
    """The top edge, in mm from the sheet's top, of grid row ``row``."""
    return (row - 1) * ROW_MM


def _type(pdf: FPDF, spot: Spot, row: int, text: str) -> None:
    start = spot.col + (spot.width - len(text) if spot.align == "right" else 0)
    pdf.text(x_of(start), y_of(row) + ROW_MM - _DESCENT_MM, text)


def _draw_box(pdf: FPDF, box: Box) -> None:
    width = (box.right - box.left + 1) * COL_MM
    pdf.rect(x_of(box.left), y_of(box.top), width, (box.bottom - box.top + 1) * ROW_MM)
    if box.caption:
        narrow = box.right - box.left < 3  # the thin columns of item 24 (B, C, H, I)
        pdf.set_font_size(4.0 if narrow else _CAPTION_FONT[2])
        pdf.set_xy(x_of(box.left) + 0.3, y_of(box.top) + 0.3)
        pdf.multi_cell(width - 0.6, 1.6 if narrow else 1.9, box.caption)


def _draw_form(pdf: FPDF) -> None:
    """The blank form: title, shaded rows, boxes with captions, check boxes, footer."""
    left, right = SHADED_COLUMNS
    pdf.set_fill_color(_SHADE)
    for n in range(1, LINES_PER_FORM + 1):
        top = y_of(line_row(n, shaded=True))
        pdf.rect(x_of(left), top, (right - left + 1) * COL_MM, ROW_MM, style="F")
    pdf.set_draw_color(0)
    pdf.set_line_width(_LINE_MM)
    pdf.set_font("Helvetica", "B", 20)
    pdf.text(x_of(3), y_of(3), "1500")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(x_of(3), y_of(6) + 1.5, "HEALTH INSURANCE CLAIM FORM")
    pdf.set_font(*_CAPTION_FONT)
    pdf.text(x_of(3), y_of(5) + 1.5, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12")
    for box in BOXES:
        _draw_box(pdf, box)
    for n in range(1, LINES_PER_FORM + 1):  # a rule above each line's shaded row
        top = y_of(line_row(n, shaded=True))
        pdf.line(x_of(left), top, x_of(right + 1), top)
    for spot in SPOTS.values():
        if spot.width == 1:
            pdf.rect(x_of(spot.col) - 0.2, y_of(spot.row) + 0.8, COL_MM + 0.4, ROW_MM - 1.2)
    pdf.text(x_of(3), y_of(66) + ROW_MM - 1.2,
             "NUCC Instruction Manual available at: www.nucc.org      PLEASE PRINT OR TYPE"
             "      APPROVED OMB-0938-1197 FORM 1500 (02-12)")  # fmt: skip


def _print_data(pdf: FPDF, form: PaperForm) -> None:
    pdf.set_font(*_DATA_FONT)
    for key, text in form.items.items():
        spot = SPOTS[key]
        _type(pdf, spot, spot.row, text)
    for number, line in enumerate(form.lines, start=1):
        for key, text in line.items():
            spot = LINE_SPOTS[key]
            _type(pdf, spot, line_row(number, shaded=spot.row == 0), text)


def render_forms(forms: Sequence[PaperForm], *, kind: FormKind, printed_on: dt.date) -> bytes:
    """The forms as one PDF, a letter page each (``kind``: ``data`` or ``full``)."""
    if kind not in FORMS:
        raise ValueError(f"form {kind!r}: one of {', '.join(FORMS)}")
    pdf = FPDF(unit="mm", format="letter")
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(dt.datetime.combine(printed_on, dt.time(), dt.UTC))
    pdf.set_title(
        "1500 claim form" + (" (data for the pre-printed form)" if kind == "data" else "")
    )
    for form in forms:
        pdf.add_page()
        if kind == "full":
            _draw_form(pdf)
        _print_data(pdf, form)
    return bytes(pdf.output())


def render_cms1500(claim: Claim, *, kind: FormKind, printed_on: dt.date) -> bytes:
    """``claim`` on the 1500 form; raises :class:`PaperClaimError` naming what does not fit."""
    return render_forms(paper_forms(claim, printed_on=printed_on), kind=kind, printed_on=printed_on)
