"""Remittances posted and their claim payments.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["RemittanceRepository"]


class RemittanceRepository(ClinicScoped):
    """Remittances posted and their claim payments."""
