"""Documents attached to a patient: insurance card images, referrals, signed consents.

Why in the database: the bytes travel with the clinic's backups and its access rules, and a
document is small (the service caps it, 10 MB); the SHA-256 lets a re-upload be recognised.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["PatientDocumentRow"]


class PatientDocumentRow(ClinicOwned, Base):
    __tablename__ = "patient_document"
    __table_args__ = (Index("ix_patient_document_patient", "clinic_id", "patient_id"),)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(40))  # card-front, card-back, referral, other
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))  # from the content, not the name
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # loaded only when downloaded, so lists of documents never read the bytes
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
