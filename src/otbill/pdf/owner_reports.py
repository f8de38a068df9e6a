"""The owner's numbers as one PDF: a section per table (title, what it counts, the table, a note
such as which months are small samples). Landscape letter, so the wide aging tables fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align

from otbill.pdf._layout import latin1

__all__ = ["Section", "render_owner_reports"]

_WIDTH = 249  # printable width in mm on landscape Letter with 15 mm margins


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    caption: str
    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    note: str = ""


def _table(pdf: FPDF, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    first = 60 if len(head) > 1 else _WIDTH
    rest = (_WIDTH - first) / max(len(head) - 1, 1)
    widths = (first, *(rest for _ in head[1:]))
    pdf.set_font("Helvetica", "", 8)
    aligns = (Align.L, *(Align.R for _ in head[1:]))
    with pdf.table(col_widths=widths, text_align=aligns, line_height=4.5, width=_WIDTH,
                   first_row_as_headings=True) as grid:  # fmt: skip
        top = grid.row()
        for text in head:
            top.cell(latin1(text))
        for values in rows:
            line = grid.row()
            for text in values:
                line.cell(latin1(text))


def render_owner_reports(
    title: str, printed_on: dt.date, months: int, sections: Sequence[Section]
) -> bytes:
    pdf = FPDF(orientation="landscape", format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(dt.datetime.combine(printed_on, dt.time(), dt.UTC))
    pdf.set_title(latin1(title))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(_WIDTH, 9, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        _WIDTH, 5,
        latin1(f"As of {printed_on:%B %-d, %Y}; the last {months} months by date of service "
               "unless a table says otherwise."),
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    for section in sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(_WIDTH, 6, latin1(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(_WIDTH, 4.5, latin1(section.caption), new_x="LMARGIN", new_y="NEXT")
        if section.rows:
            pdf.ln(1)
            _table(pdf, section.head, section.rows)
        if section.note:
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(_WIDTH, 4.5, latin1(section.note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
