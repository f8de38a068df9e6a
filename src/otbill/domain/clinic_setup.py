"""The clinic's setup as records: addresses, service locations, provider details, payer terms.

The lean records of :mod:`otbill.domain.parties` are what claims need; these carry what the admin
pages show and edit as well (licence, hire dates, contract terms). Immutable like every record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Address", "Location", "OverheadEntry", "PayerTerms", "ProviderDetails"]


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    state: str  # two letters
    zip: str  # five or nine digits

    def one_line(self) -> str:
        return f"{self.line1}, {self.city}, {self.state} {self.zip}"


@dataclass(frozen=True, slots=True)
class Location:
    """A service facility (837P loop 2310C) and the place of service its visits usually carry."""

    id: int
    name: str
    address: Address
    place_of_service: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class ProviderDetails:
    id: int
    npi: str
    first_name: str
    last_name: str
    credential: str
    taxonomy: str
    supervisor_id: int | None = None
    user_id: int | None = None
    license_state: str | None = None
    license_number: str | None = None
    hired_on: dt.date | None = None
    terminated_on: dt.date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.credential}"


@dataclass(frozen=True, slots=True)
class PayerTerms:
    """A payer with the clinic's contract terms (network status, where claims go, deadlines)."""

    id: int
    payer_code: str
    name: str
    profile: str
    network: str = "in"  # in or out
    claim_address: Address | None = None
    timely_filing_days: int | None = None
    appeal_days: int | None = None
    contract_notes: str | None = None


@dataclass(frozen=True, slots=True)
class OverheadEntry:
    id: int
    month: dt.date  # the first day of the month
    category: str
    amount_cents: int
