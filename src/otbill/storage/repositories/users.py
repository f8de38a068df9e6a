"""Users, their roles and sessions/API tokens; login lookups.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["UserRepository"]


class UserRepository(ClinicScoped):
    """Users, their roles and sessions/API tokens; login lookups."""
