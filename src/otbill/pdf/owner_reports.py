"""The owner's numbers as one PDF: a section per table (title, what it counts, the table, a note
such as which months are small samples). Landscape letter, so the wide aging tables fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue

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


_LINE = 4.5  # a table line's height in mm


@dataclass(frozen=True, slots=True)
class _Grid:
    """A table's columns: left edges, widths and alignments."""

    xs: Sequence[float]
    widths: Sequence[float]
    aligns: Sequence[Align]


def _grid(pdf: FPDF, columns: int) -> _Grid:
    first = 60 if columns > 1 else _WIDTH
    rest = (_WIDTH - first) / max(columns - 1, 1)
    widths = (first, *(rest for _ in range(columns - 1)))
    xs = [pdf.l_margin + sum(widths[:j]) for j in range(columns)]
    return _Grid(xs, widths, (Align.L, *(Align.R for _ in range(columns - 1))))


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """The lines ``text`` takes in a cell ``width`` wide: one when it fits (measured, cheap),
    else as ``multi_cell`` breaks it (a dry run)."""
    if pdf.get_string_width(text) < width - 2 * pdf.c_margin:
        return [text]
    # fpdf2's overloads type the result by ``output`` less precisely across installs: Any here
    lines: Any = pdf.multi_cell(width, _LINE, text, dry_run=True, output=MethodReturnValue.LINES)
    return [str(line) for line in lines]


def _draw_row(pdf: FPDF, grid: _Grid, cells: Sequence[list[str]], height: float) -> None:
    """One row at the current height: each cell's border, then its lines, centred vertically."""
    y = pdf.y
    for x, width, align, lines in zip(grid.xs, grid.widths, grid.aligns, cells, strict=True):
        pdf.rect(x, y, width, height)
        top = y + (height - len(lines) * _LINE) / 2
        for k, line in enumerate(lines):
            pdf.set_xy(x, top + k * _LINE)
            pdf.cell(width, _LINE, line, align=align)
    pdf.set_xy(pdf.l_margin, y + height)


def _table(pdf: FPDF, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The table with plain cells (fpdf2's ``table()`` lays out every cell twice with
    ``multi_cell``: most of the PDF's time at 600 rows). Borders on every cell, the heading row
    bold and repeated at the top of each new page, never alone at the bottom of one."""
    grid = _grid(pdf, len(head))
    pdf.set_font("Helvetica", "B", 8)
    top = [_lines(pdf, w, latin1(t)) for w, t in zip(grid.widths, head, strict=True)]
    top_height = max(len(c) for c in top) * _LINE
    pdf.set_font("Helvetica", "", 8)
    body = [[_lines(pdf, w, latin1(t)) for w, t in zip(grid.widths, r, strict=True)] for r in rows]
    heights = [max(len(c) for c in cells) * _LINE for cells in body]
    if pdf.y + top_height + (heights[0] if heights else 0) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 8)
    _draw_row(pdf, grid, top, top_height)
    pdf.set_font("Helvetica", "", 8)
    for cells, height in zip(body, heights, strict=True):
        if pdf.y + height > pdf.page_break_trigger:
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 8)
            _draw_row(pdf, grid, top, top_height)
            pdf.set_font("Helvetica", "", 8)
        _draw_row(pdf, grid, cells, height)


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
