"""The billers' work-queue reads: counts, filtered pages, findings by rule.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["QueueRepository"]


class QueueRepository(ClinicScoped):
    """The billers' work-queue reads: counts, filtered pages, findings by rule."""
