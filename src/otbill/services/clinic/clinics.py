"""Which clinics the database holds: the one lookup of a clinic by its code, and the list.

Its own small module (not ``setup``) so that a command naming ``--clinic`` imports no password
hashing; ``setup`` re-exports both for the callers that create clinics.
"""

from __future__ import annotations

from otbill.storage import Database
from otbill.storage.repositories.clinics import ClinicDirectory, ClinicRef

__all__ = ["ClinicRef", "clinic_by_code", "list_clinics"]


def clinic_by_code(db: Database, code: str) -> int | None:
    """The id of the clinic with exactly this code, else None: the one lookup of a clinic."""
    return ClinicDirectory(db).by_code(code)


def list_clinics(db: Database) -> list[ClinicRef]:
    """Every clinic of the database (id and code), oldest first."""
    return ClinicDirectory(db).all()
