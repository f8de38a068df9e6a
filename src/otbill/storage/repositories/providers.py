"""Providers: the therapists who render services, and the clinic as the billing provider.

Reads return domain records (:class:`Provider`, :class:`Clinic`; :class:`ProviderDetails` for the
admin pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otbill.domain.clinic_setup import ProviderDetails
from otbill.domain.parties import Clinic, Provider
from otbill.domain.record_errors import NotFound
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_clinic, as_provider, fetch, flush, scoped
from otbill.storage.tables import ClinicRow, ProviderRow

__all__ = ["ProviderRepository"]

_DETAIL_COLUMNS = (
    "npi", "first_name", "last_name", "credential", "taxonomy", "supervisor_id", "user_id",
    "license_state", "license_number", "hired_on", "terminated_on",
)  # fmt: skip


def _details(row: ProviderRow) -> ProviderDetails:
    return ProviderDetails(row.id, **{name: getattr(row, name) for name in _DETAIL_COLUMNS})


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

    def details(self) -> list[ProviderDetails]:
        """Every provider with licence and dates, by last then first name (the admin list)."""
        query = scoped(ProviderRow, self.clinic_id)
        query = query.order_by(ProviderRow.last_name, ProviderRow.first_name, ProviderRow.id)
        return [_details(p) for p in self.session.scalars(query)]

    def details_of(self, provider_id: int) -> ProviderDetails:
        """One provider's details (:class:`NotFound` when not this clinic's); primary key."""
        return _details(fetch(self.session, ProviderRow, self.clinic_id, provider_id))

    def add(self, details: ProviderDetails) -> int:
        """A new provider from ``details`` (its id is ignored); returns the new id."""
        values = {name: getattr(details, name) for name in _DETAIL_COLUMNS}
        row = ProviderRow(clinic_id=self.clinic_id, **values)
        self.session.add(row)
        flush(self.session)
        return row.id

    def change(self, provider_id: int, values: Mapping[str, Any]) -> None:
        """Set the given columns (names of :class:`ProviderDetails` fields) of one provider."""
        row = fetch(self.session, ProviderRow, self.clinic_id, provider_id, for_update=True)
        for name, value in values.items():
            if name not in _DETAIL_COLUMNS:
                raise KeyError(name)
            setattr(row, name, value)
        flush(self.session)
