"""Patient statements as PDF: one per guarantor, or many in one file for the mailing service.

A statement page: the clinic's header and where to send payment, the guarantor's address (placed
for a window envelope), the statement's date, cycle, amount due and due date; then each visit's
charge, what insurance paid and adjusted, the patient's share with the insurer's reason in plain
words, what the patient paid and what is left; account entries; the aging; how to pay.

Why plain cells and not ``_layout.table``: a statement run prints thousands of pages in one
process; fpdf2's table layout costs several times a cell's, and the columns here are fixed.
Stable bytes: the document's date is the statement date.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from otbill.domain.statements import Statement, StatementTerms
from otbill.pdf._layout import WIDTH, latin1, money

__all__ = ["ClinicHeader", "render_statement", "render_statements"]


@dataclass(frozen=True, slots=True)
class ClinicHeader:
    name: str
    address: str  # one line: street, city, state and ZIP
    pay_to: str  # where checks go (one line), the address above unless the clinic says


def _new(on: dt.date, title: str) -> FPDF:
    pdf = FPDF(format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(dt.datetime.combine(on, dt.time(), dt.UTC))
    pdf.set_title(latin1(title))
    pdf.set_compression(True)
    return pdf


def render_statement(statement: Statement, clinic: ClinicHeader, terms: StatementTerms) -> bytes:
    """One guarantor's statement as PDF bytes."""
    pdf = _new(statement.on, f"Statement - {statement.guarantee.name}")
    _page(pdf, statement, clinic, terms)
    return bytes(pdf.output())


def render_statements(
    statements: Iterable[Statement], clinic: ClinicHeader, terms: StatementTerms, on: dt.date
) -> bytes:
    """Many statements in one PDF (each starts on a new page), for printing and mailing."""
    pdf = _new(on, f"Statements - {clinic.name} - {on.isoformat()}")
    count = 0
    for statement in statements:
        _page(pdf, statement, clinic, terms)
        count += 1
    if count == 0:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(WIDTH, 8, "No statements in this run.")
    return bytes(pdf.output())


class _Pen:
    """Writes text at positions on the current page (``FPDF.text``: no line breaking)."""

    def __init__(self, pdf: FPDF, continued: str = "") -> None:
        self.pdf = pdf
        self.y = 15.0
        self.style = ("", 0.0)
        self.continued = continued  # the first line of each further page of the statement

    def font(self, style: str, size: float) -> None:
        if self.style != (style, size):
            self.pdf.set_font("Helvetica", style, size)
            self.style = (style, size)

    def at(self, x: float, text: str, *, style: str = "", size: float = 9) -> None:
        self.font(style, size)
        self.pdf.text(x, self.y, latin1(text))

    def right(self, x: float, text: str, *, style: str = "", size: float = 9) -> None:
        """``text`` ending at ``x``."""
        self.font(style, size)
        self.pdf.text(x - _width(self.pdf, style, size, text), self.y, text)

    def down(self, mm: float) -> None:
        self.y += mm
        if self.y > 262:  # the page is full: go on on the next one, saying whose it is
            self.pdf.add_page()
            self.y = 20.0
            self.at(15, self.continued, style="B", size=9)
            self.y = 28.0


_WIDTHS: dict[tuple[str, float, str], float] = {}


def _width(pdf: FPDF, style: str, size: float, text: str) -> float:
    key = (style, size, text)
    found = _WIDTHS.get(key)
    if found is None:
        if len(_WIDTHS) > 50_000:
            _WIDTHS.clear()
        found = _WIDTHS[key] = pdf.get_string_width(text)
    return found


# column right edges (mm) of the amounts: charge, insurance paid, adjusted, your share, paid, left
_RIGHTS = (108.0, 128.0, 151.0, 167.0, 182.0, 195.0)
_HEADS = ("Charge", "Ins. paid", "Ins. adjusted", "Your share", "You paid", "Left")


def _page(pdf: FPDF, s: Statement, clinic: ClinicHeader, terms: StatementTerms) -> None:
    pdf.add_page()
    pen = _Pen(pdf, f"{s.guarantee.name}, account {s.guarantee.account_number}: statement of "
                    f"{s.on.isoformat()} (continued)")  # fmt: skip
    g = s.guarantee
    pen.down(5)
    pen.at(15, clinic.name, style="B", size=14)
    pen.down(5)
    pen.at(15, clinic.address, size=10)
    pen.down(14)
    top = pen.y
    for text, style in (
        (g.name, "B"),
        (g.address_line1, ""),
        (f"{g.city}, {g.state} {_zip(g.zip)}", ""),
    ):
        pen.at(20, text, style=style, size=10)
        pen.down(5)
    pen.y = top - 5
    pen.at(120, s.cycle.words if s.cycle is not None else "Statement", style="B", size=12)
    for label, value in (
        ("Statement date", s.on.isoformat()),
        ("Account", g.account_number),
        ("Amount due", _money(s.amount_due)),
        ("Please pay by", s.due_on.isoformat()),
    ):
        pen.down(5)
        pen.at(120, label, style="B", size=10)
        pen.at(155, value, size=10)
    pen.y = max(pen.y, top + 10) + 10
    if len(g.patients) > 1 or g.key.startswith("guarantor:"):
        pen.at(15, "For care of: " + ", ".join(name for _, name in g.patients), size=9)
        pen.down(6)
    pen.at(15, "Your visits", style="B", size=11)
    pen.down(6)
    pen.at(15, "Date", style="B", size=8)
    pen.at(35, "Service", style="B", size=8)
    for right, head in zip(_RIGHTS, _HEADS, strict=True):
        pen.right(right, head, style="B", size=8)
    pdf.line(15, pen.y + 1, 195, pen.y + 1)
    pen.down(5)
    names = dict(g.patients)
    for li in s.lines:
        service = f"{li.code} {li.description}"
        if len(g.patients) > 1:
            service = f"{names.get(li.patient_id, '')}: {service}"
        pen.at(15, li.service_date.isoformat(), size=8)
        pen.at(35, _fit(pdf, service, 60), size=8)
        amounts = (li.charge, li.insurance_paid, li.insurance_adjusted, li.your_share,
                   li.you_paid, li.left)  # fmt: skip
        for right, amount in zip(_RIGHTS, amounts, strict=True):
            pen.right(right, _money(amount), size=8)
        for words, amount in li.reasons:
            pen.down(4)
            pen.at(38, f"{words}: {_money(amount)}", style="I", size=8)
        pen.down(5)
    if not s.lines:
        pen.at(15, "No visits with an amount left for you to pay.", size=8)
        pen.down(5)
    if s.entries:
        pen.down(2)
        pen.at(15, "Other charges and credits on your account", style="B", size=11)
        pen.down(6)
        for e in s.entries:
            pen.at(15, e.on.isoformat(), size=8)
            pen.at(35, e.description[:80], size=8)
            pen.right(195, _money(e.amount), size=8)
            pen.down(5)
    pen.down(2)
    pen.right(165, "Amount due", style="B", size=10)
    pen.right(195, _money(s.amount_due), style="B", size=10)
    pen.down(8)
    pen.at(15, "How long it has been owed", style="B", size=10)
    pen.down(5)
    a = s.aging
    for x, label, amount in ((15, "0-30 days", a.current), (60, "31-60 days", a.days_31_60),
                             (105, "61-90 days", a.days_61_90), (150, "Over 90 days", a.over_90)):  # fmt: skip
        pen.at(x, f"{label}: {_money(amount)}", size=9)
    pen.down(8)
    pen.at(15, "How to pay", style="B", size=10)
    for text in _wrapped(terms.how_to_pay):
        pen.down(4.5)
        pen.at(15, text, size=9)
    pen.down(4.5)
    pen.at(15, f"Mail checks to: {clinic.name}, {clinic.pay_to}", size=9)
    if s.cycle is not None and s.cycle.value == "final":
        pen.down(6)
        pen.at(
            15,
            "This is a final notice: please pay or call us before the date above.",
            style="B",
            size=9,
        )


_WRAPPED: dict[str, tuple[str, ...]] = {}


def _wrapped(text: str) -> tuple[str, ...]:
    """``text`` in lines that fit the page at 9 points (wrapped once per text)."""
    found = _WRAPPED.get(text)
    if found is None:
        found = _WRAPPED[text] = tuple(textwrap.wrap(text, 110))
    return found


def _money(amount: Decimal) -> str:
    """$1,234.50, and a credit as -$10.00."""
    return f"-{money(-amount)}" if amount < 0 else money(amount)


def _fit(pdf: FPDF, text: str, mm: float) -> str:
    """``text`` cut at a word to fit ``mm`` at 8 points ('...' when cut)."""
    text = latin1(text)
    if _width(pdf, "", 8, text) <= mm:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        cut = " ".join(words) + "..."
        if _width(pdf, "", 8, cut) <= mm:
            return cut
    return text[: int(mm / 2)]


def _zip(value: str) -> str:
    return f"{value[:5]}-{value[5:]}" if len(value) == 9 else value
