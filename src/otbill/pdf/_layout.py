"""What the price list, the superbill and the Good Faith Estimate share: a letter page with the
core fonts, headings, label-value rows, wrapped paragraphs and tables of amounts.

The core fonts print Latin-1 only, so text is folded to it ('?' for anything else).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import FontFace

__all__ = ["WIDTH", "document", "heading", "latin1", "money", "paragraph", "row", "table"]

WIDTH = 180  # printable width in mm on Letter with 15 mm margins


def latin1(text: str) -> str:
    """Text the core fonts can print: characters outside Latin-1 become '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def money(amount: Decimal) -> str:
    """$1,234.50"""
    return f"${amount.quantize(Decimal('0.01')):,}"


def document(title: str, printed_on: dt.date) -> FPDF:
    """A new letter-size document with its first page, dated ``printed_on`` (stable bytes)."""
    pdf = FPDF(format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(dt.datetime.combine(printed_on, dt.time(), dt.UTC))
    pdf.set_title(latin1(title))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(WIDTH, 9, latin1(title), new_x="LMARGIN", new_y="NEXT")
    return pdf


def heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(WIDTH, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")


def row(pdf: FPDF, label: str, value: str, *, label_width: float = 45) -> None:
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(label_width, 6, latin1(label))
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(WIDTH - label_width, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")


def paragraph(pdf: FPDF, text: str, *, size: float = 10, bold: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", size)
    pdf.multi_cell(WIDTH, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def table(
    pdf: FPDF,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    right: Sequence[int] = (),
    bold_last: bool = False,
) -> None:
    """A table with a header row; columns whose index is in ``right`` are right-aligned
    (amounts); ``bold_last`` prints the last row (a total) in bold."""
    pdf.set_font("Helvetica", "", 9)
    aligns = tuple(Align.R if i in right else Align.L for i in range(len(header)))
    with pdf.table(
        col_widths=tuple(widths),
        text_align=aligns,
        line_height=5,
        width=WIDTH,
        first_row_as_headings=True,
    ) as grid:
        top = grid.row()
        for text in header:
            top.cell(latin1(text))
        for i, values in enumerate(rows):
            total = bold_last and i == len(rows) - 1
            line = grid.row(style=FontFace(emphasis="BOLD") if total else None)
            for text in values:
                line.cell(latin1(text))
    pdf.set_font("Helvetica", "", 10)
