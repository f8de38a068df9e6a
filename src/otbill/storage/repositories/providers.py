"""Treating providers: credentials, NPIs, supervisors.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["ProviderRepository"]


class ProviderRepository(ClinicScoped):
    """Treating providers: credentials, NPIs, supervisors."""
