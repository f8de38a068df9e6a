"""The JSON API's front-desk models: patients, their coverage and documents (OpenAPI schemas).

Money is a decimal string ("25.00"); dates are ISO 8601. Inputs map one to one onto the front-desk
services' inputs, so the API and the web forms check the same things.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from otbill.domain.registration import EmergencyContact, Guarantor, Registration
from otbill.services.frontdesk.coverage import CoverageDetails, CoverageLine, Subscriber
from otbill.services.frontdesk.registration import PatientDetails

__all__ = [
    "AddressIn",
    "CoverageEndIn",
    "CoverageIn",
    "CoverageOut",
    "DocumentOut",
    "EligibilityCheckIn",
    "PatientIn",
    "PatientOut",
    "PatientSearchOut",
    "PatientSummary",
    "PersonIn",
]

_Name = Field(min_length=1, max_length=200)


class AddressIn(BaseModel):
    line1: str = Field(max_length=200)
    city: str = Field(max_length=200)
    state: str = Field(max_length=2, description="two-letter code")
    zip: str = Field(max_length=10, description="5 or 9 digits")

    def as_tuple(self) -> tuple[str, str, str, str]:
        return (self.line1, self.city, self.state, self.zip)


class PersonIn(BaseModel):
    """A guarantor: the person responsible for the bill when not the patient."""

    first_name: str = _Name
    last_name: str = _Name
    relationship: str = Field("other", max_length=40)
    address: AddressIn | None = None
    phone: str = Field("", max_length=40)


class ContactIn(BaseModel):
    name: str = _Name
    relationship: str = Field("", max_length=40)
    phone: str = Field("", max_length=40)


class PatientIn(BaseModel):
    first_name: str = _Name
    last_name: str = _Name
    dob: dt.date = Field(description="not in the future, not before 1900")
    sex: Literal["F", "M", "U"]
    address: AddressIn | None = None
    preferred_name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=200)
    preferred_language: str | None = Field(None, max_length=40)
    emergency_contact: ContactIn | None = None
    guarantor: PersonIn | None = Field(None, description="null: the patient")
    consent_on: dt.date | None = None
    benefits_assigned_on: dt.date | None = None
    self_pay: bool = False
    duplicate_ok: bool = Field(False, description="register even if name and birth date match")

    def details(self) -> PatientDetails:
        contact, g = self.emergency_contact, self.guarantor
        guarantor = None
        if g is not None:
            line1, city, state, zip_code = g.address.as_tuple() if g.address else ("",) * 4
            guarantor = Guarantor(
                g.first_name, g.last_name, g.relationship, line1, city, state, zip_code, g.phone
            )
        registration = Registration(
            None,
            self.preferred_name,
            self.phone,
            self.email,
            self.preferred_language,
            EmergencyContact(contact.name, contact.relationship, contact.phone)
            if contact
            else None,
            guarantor,
            self.consent_on,
            self.benefits_assigned_on,
            self.self_pay,
        )
        address = self.address.as_tuple() if self.address else None
        return PatientDetails(
            self.first_name, self.last_name, self.dob, self.sex, address, registration
        )


class PatientSummary(BaseModel):
    id: int
    account_number: str = Field(description="unique in the clinic (also the MRN)")
    first_name: str
    last_name: str
    dob: dt.date


class PatientSearchOut(BaseModel):
    items: list[PatientSummary]
    total: int
    page: int
    pages: int


class SubscriberIn(BaseModel):
    first_name: str = _Name
    last_name: str = _Name
    dob: dt.date
    sex: Literal["F", "M", "U"] = "U"
    address: AddressIn


class CoverageIn(BaseModel):
    payer_id: int
    member_id: str = Field(min_length=1, max_length=80, description="checked per payer profile")
    effective_from: dt.date
    effective_to: dt.date | None = None
    priority: Literal[1, 2, 3] = Field(1, description="1 primary, 2 secondary, 3 tertiary")
    relationship: Literal["self", "spouse", "child", "other"] = "self"
    subscriber: SubscriberIn | None = Field(None, description="required when not self")
    group_number: str | None = Field(None, max_length=80)
    network: Literal["in", "out"] = "in"
    plan_name: str | None = Field(None, max_length=200)
    copay: Decimal | None = Field(None, ge=0, le=100000)
    coinsurance_percent: int | None = Field(None, ge=0, le=100)
    deductible: Decimal | None = Field(None, ge=0, le=100000)
    eligibility_verified_on: dt.date | None = Field(
        None, description="an eligibility check already made by phone or portal: its date"
    )
    eligibility_active: bool | None = Field(None, description="what that check found")

    def details(self) -> CoverageDetails:
        s = self.subscriber
        subscriber = (
            Subscriber(s.first_name, s.last_name, s.dob, s.sex, s.address.as_tuple()) if s else None
        )
        return CoverageDetails(
            self.payer_id,
            self.member_id,
            self.effective_from,
            self.effective_to,
            self.priority,
            self.relationship,
            subscriber,
            self.group_number,
            self.network,
            self.plan_name,
            self.copay,
            self.coinsurance_percent,
            self.deductible,
            self.eligibility_verified_on,
            (True if self.eligibility_active is None else self.eligibility_active)
            if self.eligibility_verified_on
            else None,
        )


class EligibilityCheckIn(BaseModel):
    checked_on: dt.date = Field(description="the day the payer was asked (phone or portal)")
    active: bool = Field(description="whether the payer said the coverage is active")


class CoverageEndIn(BaseModel):
    last_day: dt.date = Field(description="the last day the coverage pays for")


class CoverageOut(BaseModel):
    id: int
    payer_id: int
    payer: str
    member_id: str
    priority: int
    relationship: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    plan_name: str | None
    eligibility_verified_on: dt.date | None = Field(None, description="the latest check's date")
    eligibility_active: bool | None = Field(None, description="what the latest check found")
    active: bool = Field(description="in force today")
    billed: bool = Field(description="a claim was billed to it (it never changes in place)")

    @classmethod
    def of(cls, line: CoverageLine) -> CoverageOut:
        c = line.coverage
        return cls(
            id=c.id,
            payer_id=c.payer_id,
            payer=line.payer_name,
            member_id=c.member_id,
            priority=c.priority,
            relationship=c.relationship,
            effective_from=c.effective_from,
            effective_to=c.effective_to,
            plan_name=line.terms.plan_name,
            eligibility_verified_on=c.eligibility_verified_on,
            eligibility_active=c.eligibility_active,
            active=line.active,
            billed=line.billed,
        )


class DocumentOut(BaseModel):
    id: int
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: dt.datetime


class CoverageListOut(BaseModel):
    """A patient's coverages, primary first: the ``coverage_id`` to record a visit against."""

    items: list[CoverageOut]


class PatientOut(PatientSummary):
    sex: str
    preferred_name: str | None
    phone: str | None
    email: str | None
    self_pay: bool
    coverages: list[CoverageOut]
    documents: list[DocumentOut]
