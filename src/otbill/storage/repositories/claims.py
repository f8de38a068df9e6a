"""Claims, their lines, visits and status history.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["ClaimRepository"]


class ClaimRepository(ClinicScoped):
    """Claims, their lines, visits and status history."""
