"""Documents attached to patients: card images, referrals, consents (reached as
``uow.patients.documents``)."""

from __future__ import annotations

from sqlalchemy.orm import undefer

from otbill.domain.registration import PatientDocument
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped, values_of
from otbill.storage.tables.documents import PatientDocumentRow

__all__ = ["DocumentRepository"]


def _as_document(r: PatientDocumentRow) -> PatientDocument:
    return PatientDocument(r.id, r.patient_id, r.kind, r.filename, r.content_type, r.size_bytes,
                           r.sha256, r.uploaded_at, r.uploaded_by)  # fmt: skip


class DocumentRepository(ClinicScoped):
    """A patient's documents; lists never read the bytes (the content column is deferred)."""

    def add(self, document: PatientDocument, content: bytes) -> int:
        """A new document with its bytes (the record's ``id`` is ignored); returns its id."""
        row = PatientDocumentRow(**values_of(document), content=content)
        row.clinic_id = self.clinic_id
        self.session.add(row)
        flush(self.session)
        return row.id

    def of_patient(self, patient_id: int) -> list[PatientDocument]:
        """The patient's documents, newest first; the document patient index."""
        query = scoped(PatientDocumentRow, self.clinic_id).where(
            PatientDocumentRow.patient_id == patient_id
        )
        order = (PatientDocumentRow.uploaded_at.desc(), PatientDocumentRow.id.desc())
        return [_as_document(r) for r in self.session.scalars(query.order_by(*order))]

    def content(self, document_id: int) -> tuple[PatientDocument, bytes]:
        """The document and its bytes (:class:`NotFound` when not this clinic's); primary key."""
        query = scoped(PatientDocumentRow, self.clinic_id).where(
            PatientDocumentRow.id == document_id
        )
        row = self.session.scalars(query.options(undefer(PatientDocumentRow.content))).first()
        if row is None:
            fetch(self.session, PatientDocumentRow, self.clinic_id, document_id)  # NotFound
        assert row is not None
        return _as_document(row), row.content
