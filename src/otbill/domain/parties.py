"""Who is involved in a claim, as the records hold them: the clinic, patients, payers, providers.

These are stored facts read back for the services (the scrubber's own views of a patient or a
provider live in :mod:`otbill.domain.claim`); immutable, so a service cannot change the records by
accident — changes go through the repositories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Clinic", "Patient", "Payer", "Provider"]


@dataclass(frozen=True, slots=True)
class Clinic:
    """The billing provider: name, NPI, tax id, taxonomy and address (loop 2010AA)."""

    id: int
    code: str
    name: str
    npi: str
    tax_id: str
    taxonomy: str | None
    address_line1: str
    city: str
    state: str
    zip: str


@dataclass(frozen=True, slots=True)
class Patient:
    id: int
    mrn: str
    first_name: str
    last_name: str
    dob: dt.date
    sex: str  # F, M or U
    address_line1: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    id: int
    payer_code: str  # the EDI payer id
    name: str
    profile: str  # the payer profile's name


@dataclass(frozen=True, slots=True)
class Provider:
    id: int
    npi: str
    first_name: str
    last_name: str
    credential: str
    taxonomy: str
    supervisor_id: int | None = None
    user_id: int | None = None
