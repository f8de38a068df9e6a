"""Reads of the audit trail (writes go through storage.audit.AuditLog).

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["AuditRepository"]


class AuditRepository(ClinicScoped):
    """Reads of the audit trail (writes go through storage.audit.AuditLog)."""
