"""EDI files sent and applied, and the exchange work queue.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["ExchangeRepository"]


class ExchangeRepository(ClinicScoped):
    """EDI files sent and applied, and the exchange work queue."""
