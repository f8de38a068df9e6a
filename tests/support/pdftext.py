"""The text of a PDF as pypdf reads it back, with runs of white space made one blank: for the
tests of the price list, superbill and Good Faith Estimate PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

__all__ = ["pdf_text"]


def pdf_text(content: bytes | Path) -> str:
    """Every page's text, pages joined by a blank; ``content`` is the bytes or a file."""
    data = content.read_bytes() if isinstance(content, Path) else content
    assert data.startswith(b"%PDF-"), "not a PDF"
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)
