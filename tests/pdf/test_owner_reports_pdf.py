"""The owner's PDF draws its tables with plain cells; its text, page by page, is what fpdf2's own
``table()`` (which the PDF used before, and which lays out every cell twice) gives for the same
sections: headings that wrap, a table over several pages (the heading repeated), one column."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import pytest
from fpdf import FPDF
from fpdf.enums import Align
from pypdf import PdfReader

import otbill.pdf.owner_reports as owner_pdf
from otbill.pdf.owner_reports import Section, render_owner_reports

TODAY = dt.date(2025, 12, 31)


def _fpdf_table(pdf: FPDF, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The reference: the same columns through fpdf2's ``table()``."""
    first = 60 if len(head) > 1 else 249
    rest = (249 - first) / max(len(head) - 1, 1)
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(
        col_widths=(first, *(rest for _ in head[1:])),
        text_align=(Align.L, *(Align.R for _ in head[1:])),
        line_height=4.5,
        width=249,
        first_row_as_headings=True,
    ) as grid:
        for values in (head, *rows):
            line = grid.row()
            for text in values:
                line.cell(owner_pdf.latin1(text))


def _sections() -> list[Section]:
    aging = Section(
        "Receivables: A/R aging by patient",
        "Open balances by age of the date of service.",
        ["Patient", "0–30 days", "31–60 days", "Over 120 days (the oldest, appealed or not)"],
        [[f"Patient number {i} with a long name", f"${i:,}.00", "–", "3 days"] for i in range(300)],
    )
    wrapped = Section(
        "Margin",
        "Money received each month.",
        ["Month", "Revenue per visit served that month, self-pay included", "Cost"],
        [["January 2025", "$1,250.40", "A cell far too long to fit on one line " * 4]],
        note="Small samples: January 2025.",
    )
    single = Section("Write-offs", "Nothing.", ["Reason"], [["Total"]])
    return [aging, wrapped, single, Section("Empty", "No rows.", ["A", "B"], [], "None.")]


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_text_is_what_fpdf2s_table_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    sections = _sections()
    drawn = render_owner_reports("Owner's numbers — Bench", TODAY, 12, sections)
    monkeypatch.setattr(owner_pdf, "_table", _fpdf_table)
    reference = render_owner_reports("Owner's numbers — Bench", TODAY, 12, sections)
    pages = _pages(drawn)
    assert len(pages) > 3  # the aging runs over pages, its heading repeated on each
    assert pages == _pages(reference)
    assert all("Patient 0–30 days".replace("–", "?") in page for page in pages[1:3])
