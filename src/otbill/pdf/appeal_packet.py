"""An appeal packet as one PDF: the appeal letter, then what proves it.

The letter (clinic, payer, the claim, patient and denial codes, the text the biller edited, the
signer) comes first, with a list of what is enclosed; then each enclosure in order: the signed
plan of care, the treatment notes with minutes, the authorization and its log, the proof of
timely submission (the 999 and 277CA acknowledgements) and the remittance. An enclosure that is a
PDF already (a signed plan scanned in) is appended page for page with pypdf; one that is records
(notes, a log) is printed as a table. An enclosure the record does not have is listed in the
letter as not on file rather than left out silently. A draft packet says DRAFT on every page of the
letter; the final one does not.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from otbill.pdf._layout import WIDTH, document, heading, latin1, paragraph, row, table

__all__ = ["Enclosure", "LetterFacts", "render_appeal_packet"]


@dataclass(frozen=True, slots=True)
class Enclosure:
    """One thing the packet encloses: a PDF as it is, or records printed as a table."""

    title: str
    pdf: bytes | None = None
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[int, ...] = ()
    note: str = ""  # a sentence printed above the table

    @property
    def on_file(self) -> bool:
        return self.pdf is not None or bool(self.rows)


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What the letter prints."""

    clinic_name: str
    clinic_npi: str
    clinic_address: str
    payer_name: str
    payer_address: str
    dated: dt.date
    title: str  # "Request for redetermination: medical necessity"
    about: tuple[tuple[str, str], ...]  # label, value: claim, patient, member ID, dates, codes
    body: str
    signer: str
    final: bool = False
    enclosures: tuple[Enclosure, ...] = field(default=())


def _letter(facts: LetterFacts) -> FPDF:
    pdf = document(facts.title, facts.dated)
    if not facts.final:
        pdf.set_font("Helvetica", "B", 11)
        pdf.set_text_color(180, 0, 0)
        pdf.cell(WIDTH, 6, "DRAFT - not yet final", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    paragraph(pdf, f"{facts.clinic_name} (NPI {facts.clinic_npi})\n{facts.clinic_address}")
    pdf.ln(2)
    paragraph(pdf, f"To: {facts.payer_name}\n{facts.payer_address}")
    pdf.ln(2)
    paragraph(pdf, f"Date: {facts.dated:%B %d, %Y}")
    heading(pdf, "About")
    for label, value in facts.about:
        row(pdf, label, value)
    heading(pdf, "Request")
    for part in facts.body.split("\n\n"):
        paragraph(pdf, part.strip())
        pdf.ln(2)
    pdf.ln(6)
    paragraph(pdf, "Sincerely,")
    pdf.ln(10)
    paragraph(pdf, facts.signer)
    paragraph(pdf, facts.clinic_name)
    heading(pdf, "Enclosed")
    for i, enclosure in enumerate(facts.enclosures, 1):
        state = "" if enclosure.on_file else " (not on file)"
        paragraph(pdf, f"{i}. {enclosure.title}{state}")
    return pdf


def _records(enclosure: Enclosure, dated: dt.date) -> bytes:
    """Records (notes, a log, acknowledgements) printed as a table under the enclosure's title."""
    pdf = FPDF(format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(dt.datetime.combine(dated, dt.time(), dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(WIDTH, 8, latin1(enclosure.title), new_x="LMARGIN", new_y="NEXT")
    if enclosure.note:
        paragraph(pdf, enclosure.note)
        pdf.ln(2)
    widths = enclosure.widths or tuple(1 for _ in enclosure.header)
    table(pdf, enclosure.header, enclosure.rows, widths)
    return bytes(pdf.output())


def render_appeal_packet(facts: LetterFacts) -> bytes:
    """The packet as one PDF: the letter, then each enclosure on file, in the letter's order."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(_letter(facts).output()))))
    for enclosure in facts.enclosures:
        if enclosure.pdf is not None:
            writer.append(PdfReader(io.BytesIO(enclosure.pdf)))
        elif enclosure.rows:
            writer.append(PdfReader(io.BytesIO(_records(enclosure, facts.dated))))
    writer.add_metadata({"/Title": latin1(facts.title)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
