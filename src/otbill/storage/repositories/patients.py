"""Patients and what governs their care: coverage, plans of care, authorizations.

Named queries return domain records or plain values; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

from otbill.storage.repositories.base import ClinicScoped

__all__ = ["PatientRepository"]


class PatientRepository(ClinicScoped):
    """Patients and what governs their care: coverage, plans of care, authorizations."""
