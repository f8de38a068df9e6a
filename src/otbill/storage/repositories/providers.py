"""Providers: the therapists who render services, and the clinic as the billing provider.

Reads return domain records (:class:`Provider`, :class:`Clinic`).
"""

from __future__ import annotations

from otbill.domain.parties import Clinic, Provider
from otbill.domain.record_errors import NotFound
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_clinic, as_provider, fetch, scoped
from otbill.storage.tables import ClinicRow, ProviderRow

__all__ = ["ProviderRepository"]


class ProviderRepository(ClinicScoped):
    """Providers: rendering therapists and the billing provider."""

    def get(self, provider_id: int) -> Provider:
        """The provider (:class:`NotFound` when not this clinic's); primary key."""
        return as_provider(fetch(self.session, ProviderRow, self.clinic_id, provider_id))

    def all(self) -> list[Provider]:
        """Every provider of the clinic, by id; unique (clinic_id, npi)."""
        query = scoped(ProviderRow, self.clinic_id).order_by(ProviderRow.id)
        return [as_provider(p) for p in self.session.scalars(query)]

    def of_user(self, user_id: int | None) -> Provider | None:
        """The provider a login belongs to (a therapist), else None (a scan of the clinic's few
        providers; unique (clinic_id, npi))."""
        query = scoped(ProviderRow, self.clinic_id).where(ProviderRow.user_id == user_id)
        row = self.session.scalars(query.order_by(ProviderRow.id).limit(1)).first()
        return as_provider(row) if row else None

    def billing(self) -> Clinic:
        """The clinic as the billing provider of its claims (loop 2010AA); primary key."""
        row = self.session.get(ClinicRow, self.clinic_id)
        if row is None:
            raise NotFound("clinic", self.clinic_id)
        return as_clinic(row)
