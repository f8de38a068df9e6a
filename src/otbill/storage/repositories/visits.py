"""Visits, their service lines and notes.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["VisitRepository"]


class VisitRepository(ClinicScoped):
    """Visits, their service lines and notes."""
