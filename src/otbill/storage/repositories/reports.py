"""The dashboard's aggregate reads, grouped in the database.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["ReportRepository"]


class ReportRepository(ClinicScoped):
    """The dashboard's aggregate reads, grouped in the database."""
