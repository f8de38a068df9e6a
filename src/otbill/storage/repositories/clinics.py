"""The clinic itself and its reference rows: by code, settings, locations.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["ClinicRepository"]


class ClinicRepository(ClinicScoped):
    """The clinic itself and its reference rows: by code, settings, locations."""
