"""The appeal packet PDF: the letter first, then each enclosure in order; a draft says so."""

from __future__ import annotations

import datetime as dt
import io

from fpdf import FPDF
from pypdf import PdfReader

from otbill.pdf.appeal_packet import Enclosure, LetterFacts, render_appeal_packet


def _signed_plan() -> bytes:
    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(100, 10, "Plan of care signed by Dr Ana Ruiz")
    return bytes(pdf.output())


def _facts(*, final: bool) -> LetterFacts:
    notes = Enclosure(
        "Treatment notes with minutes",
        header=("Date", "Code", "Minutes", "Units"),
        rows=(("2025-03-03", "97110", "38", "2"), ("2025-03-05", "97110", "40", "3")),
        widths=(3, 2, 2, 2),
    )
    return LetterFacts(
        clinic_name="Hands On OT",
        clinic_npi="1234567893",
        clinic_address="9 Oak Ave, Austin, TX 78701",
        payer_name="Medicare Part B",
        payer_address="PO Box 1, Dallas, TX",
        dated=dt.date(2025, 4, 1),
        title="Request for redetermination: medical necessity",
        about=(("Claim", "C-100"), ("Patient", "Leo Diaz"), ("Denied", "CO-50 $120.00")),
        body="Medicare denied 97110.\n\nWe ask that it be paid.",
        signer="Pat Biller",
        final=final,
        enclosures=(
            Enclosure("Signed plan of care", pdf=_signed_plan()),
            notes,
            Enclosure("Authorization and its log"),  # not on file
        ),
    )


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_letter_then_enclosures_in_order() -> None:
    pages = _pages(render_appeal_packet(_facts(final=True)))
    assert len(pages) == 3
    letter, plan, notes = pages
    assert "Request for redetermination" in letter and "C-100" in letter
    assert "We ask that it be paid." in letter and "Pat Biller" in letter
    assert "3. Authorization and its log (not on file)" in letter
    assert "DRAFT" not in letter
    assert "signed by Dr Ana Ruiz" in plan
    assert "Treatment notes with minutes" in notes and "97110" in notes and "38" in notes


def test_a_draft_says_so() -> None:
    assert "DRAFT" in _pages(render_appeal_packet(_facts(final=False)))[0]


def test_same_facts_same_bytes() -> None:
    assert render_appeal_packet(_facts(final=True)) == render_appeal_packet(_facts(final=True))
