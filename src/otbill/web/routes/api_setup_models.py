"""Pydantic schemas of the clinic-setup API (locations, providers, payers, fees, overhead).

Lengths and numbers are bounded here, where they enter; the services check the rest (NPI check
digit, EIN, place of service, supervisor) and answer 422 with a message naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field

__all__ = [
    "AddressIO",
    "FeeIn",
    "FeeOut",
    "LocationIO",
    "LocationUseIO",
    "OverheadIn",
    "PayerIO",
    "ProviderIO",
]

_Text = Field(min_length=1, max_length=200)


class AddressIO(BaseModel):
    line1: str = _Text
    city: str = _Text
    state: str = Field(min_length=2, max_length=2, examples=["MA"])
    zip: str = Field(min_length=5, max_length=10, examples=["02110"])


class LocationIO(BaseModel):
    id: int | None = Field(None, description="set by otbill; ignored on input")
    name: str = _Text
    address: AddressIO
    place_of_service: str = Field("11", min_length=2, max_length=2)
    active: bool = True


class LocationUseIO(BaseModel):
    active: bool = Field(description="false: no longer offered for new appointments")


class ProviderIO(BaseModel):
    id: int | None = Field(None, description="set by otbill; ignored on input")
    npi: str = Field(min_length=10, max_length=10, description="the individual (type 1) NPI")
    first_name: str = _Text
    last_name: str = _Text
    credential: str = Field(max_length=10, examples=["OTR/L", "COTA"])
    taxonomy: str = Field("225X00000X", max_length=10)
    supervisor_id: int | None = Field(None, description="required for assistants (COTA, PTA...)")
    user_id: int | None = Field(None, description="their login, when they treat")
    license_state: str | None = Field(None, max_length=2)
    license_number: str | None = Field(None, max_length=40)
    hired_on: dt.date | None = None
    terminated_on: dt.date | None = None


class PayerIO(BaseModel):
    id: int | None = Field(None, description="set by otbill; ignored on input")
    payer_code: str = Field(min_length=1, max_length=80, description="the EDI payer ID")
    name: str = _Text
    profile: str = Field(max_length=80, description="payer profile (billing rules) name")
    network: str = Field("in", pattern="^(in|out)$")
    claim_address: AddressIO | None = None
    timely_filing_days: int | None = Field(None, ge=1, le=3650)
    appeal_days: int | None = Field(None, ge=1, le=3650)
    contract_notes: str | None = Field(None, max_length=4000)


class FeeIn(BaseModel):
    code: str = Field(min_length=5, max_length=5, examples=["97530"])
    year: int = Field(ge=2000, le=2100, description="the rate applies from 1 January")
    contracted_rate: Decimal = Field(ge=0, le=100000, description="expected allowed per unit")
    charge: Decimal = Field(ge=0, le=100000, description="the clinic's charge per unit")
    payer_id: int | None = Field(None, description="null: the clinic's own charge master")


class FeeOut(BaseModel):
    code: str
    year: int
    payer: str
    contracted_rate: Decimal
    charge: Decimal | None = Field(description="the charge master's charge beside it")


class OverheadIn(BaseModel):
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2025-03"])
    category: str = Field(min_length=1, max_length=80)
    amount: Decimal = Field(ge=0, le=100000)
