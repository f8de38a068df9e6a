"""The declarative base: one metadata with a naming convention, so constraint names are stable.

Why the convention: Alembic migrations and the error translator both refer to constraints by name
(``uq_patient_clinic_id_mrn``); names the database invents differ between SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["NAMING", "Base", "ClinicOwned", "clinic_fk"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def clinic_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("clinic.id"), index=True)


class ClinicOwned:
    """Mixin for every record that belongs to one clinic (all but the clinic itself).

    Repositories filter every query on ``clinic_id``; no query crosses clinics.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"), index=True)
