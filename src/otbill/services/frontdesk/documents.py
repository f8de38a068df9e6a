"""Documents attached to a patient: insurance card images, referrals, signed consents.

Why the type is read from the content: a file's name says what its sender wants it to be; its
first bytes say what it is. Only PNG, JPEG and PDF are kept (what scanners and phones produce),
up to 10 MB each, so a page can show a card and nothing runnable is ever served back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from otbill.domain.record_errors import RecordError
from otbill.domain.registration import DOCUMENT_KINDS, PatientDocument
from otbill.storage import UnitOfWork

__all__ = [
    "DOCUMENT_KINDS",
    "MAX_BYTES",
    "Download",
    "attach_document",
    "document_download",
    "patient_documents",
    "sniff_type",
]

MAX_BYTES = 10 * 1024 * 1024
# magic numbers: PNG (ISO/IEC 15948 signature), JPEG (SOI marker), PDF (ISO 32000 header)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True, slots=True)
class Download:
    document: PatientDocument
    content: bytes


def sniff_type(content: bytes) -> str | None:
    """The content type the first bytes show, or None when not PNG, JPEG or PDF.

    >>> sniff_type(b"%PDF-1.7 ...")
    'application/pdf'
    >>> sniff_type(b"MZ\\x90\\x00") is None
    True
    """
    return next((kind for magic, kind in _MAGIC if content.startswith(magic)), None)


def _filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>')
    return cleaned[:200] or "document"


def attach_document(
    uow: UnitOfWork,
    patient_id: int,
    *,
    kind: str,
    filename: str,
    content: bytes,
    now: dt.datetime,
) -> int:
    """Keep a document for the patient: refused when empty, over 10 MB or not PNG/JPEG/PDF."""
    uow.patients.get(patient_id)
    if kind not in DOCUMENT_KINDS:
        raise RecordError(f"document kind {kind!r}: one of {', '.join(DOCUMENT_KINDS)}")
    if not content:
        raise RecordError(f"document {_filename(filename)}: the file is empty")
    if len(content) > MAX_BYTES:
        size = len(content) / (1024 * 1024)
        raise RecordError(f"document {_filename(filename)}: {size:.1f} MB; at most 10 MB")
    content_type = sniff_type(content)
    if content_type is None:
        raise RecordError(
            f"document {_filename(filename)}: not a PNG, JPEG or PDF file (by its content)"
        )
    digest = hashlib.sha256(content).hexdigest()
    record = PatientDocument(
        0,
        patient_id,
        kind,
        _filename(filename),
        content_type,
        len(content),
        digest,
        now,
        uow.actor_id,
    )
    document_id = uow.patients.documents.add(record, content)
    after = {"patient_id": patient_id, "kind": kind, "sha256": digest, "size": len(content)}
    uow.audit.record(uow.actor_id, "document.attach", "patient_document", document_id, None, after)
    return document_id


def patient_documents(uow: UnitOfWork, patient_id: int) -> list[PatientDocument]:
    """The patient's documents, newest first (without their bytes)."""
    uow.patients.get(patient_id)
    return uow.patients.documents.of_patient(patient_id)


def document_download(uow: UnitOfWork, document_id: int) -> Download:
    """A document with its bytes (:class:`NotFound` for another clinic's)."""
    document, content = uow.patients.documents.content(document_id)
    return Download(document, content)
