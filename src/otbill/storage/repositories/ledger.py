"""Ledger postings (append-only) and balances summed in SQL.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["LedgerRepository"]


class LedgerRepository(ClinicScoped):
    """Ledger postings (append-only) and balances summed in SQL."""
