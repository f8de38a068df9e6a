"""A stored claim on the 1500 paper claim form (02/12), as PDF, for payers that take paper.

The claim is assembled from the records by the same code that builds it for the 837P writer and
the scrubber (:func:`otbill.services.claims.assemble.assemble_claim`), so paper and electronic
claims carry the same facts. Two forms (:data:`FORMS`): ``data`` prints only the values, aligned to the red
pre-printed form; ``full`` draws the complete form in black and white around them. A claim of
more than six service lines prints on continuation forms, each complete with its own total.
Printing changes nothing in the records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from otbill.domain.claim_records import StoredClaim
from otbill.domain.record_errors import NotFound
from otbill.pdf.cms1500 import FORMS, FormKind, PaperClaimError, render_forms
from otbill.pdf.cms1500_fields import paper_forms
from otbill.services.claims.fixes import assembled_claim
from otbill.storage import UnitOfWork

__all__ = ["FORMS", "FormKind", "PaperClaim", "PaperClaimError", "find_claim", "paper_claim"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class PaperClaim:
    """The printed claim: its number, how many forms, a file name and the PDF bytes."""

    number: str
    kind: FormKind
    forms: int
    pdf: bytes

    @property
    def filename(self) -> str:
        return f"{_UNSAFE.sub('-', self.number)}-cms1500-{self.kind}.pdf"


def find_claim(uow: UnitOfWork, key: str | int) -> StoredClaim:
    """A claim of this clinic: an int is its id; text its number, else its id
    (:class:`NotFound` when neither)."""
    if isinstance(key, int):
        return uow.claims.get(key)
    text = key.strip()
    found = uow.claims.by_number(text)
    if found is not None:
        return found
    if text.isascii() and text.isdigit() and len(text) < 19:  # a 64-bit id
        return uow.claims.get(int(text))
    raise NotFound("claim", text)


def paper_claim(uow: UnitOfWork, key: str | int, *, kind: str, printed_on: dt.date) -> PaperClaim:
    """The claim ``key`` (number or id) as a 1500 form PDF of ``kind`` (``data`` or ``full``).

    Raises :class:`NotFound` for a claim not in the clinic, ``RecordError`` for one whose records
    cannot make a claim (it bills no visit), :class:`PaperClaimError` (every
    reason, naming the claim and the item) for one the form cannot carry, and ``ValueError``
    for an unknown kind.
    """
    if kind not in FORMS:
        raise ValueError(f"form {kind!r}: one of {', '.join(FORMS)}")
    form: FormKind = "full" if kind == "full" else "data"
    row = find_claim(uow, key)
    claim = assembled_claim(uow, row)  # RecordError for a claim that bills no visit
    forms = paper_forms(claim, printed_on=printed_on)
    pdf = render_forms(forms, kind=form, printed_on=printed_on)
    return PaperClaim(row.number, form, len(forms), pdf)
