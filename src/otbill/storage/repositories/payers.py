"""Payers, their profiles and fee schedule rows, the charge master.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["PayerRepository"]


class PayerRepository(ClinicScoped):
    """Payers, their profiles and fee schedule rows, the charge master."""
