"""The JSON API of the clinic's setup: locations, providers, payers, fees and overhead.

Reads are open to admins, billers and auditors; changes to admins (the setup is the admin's).
Every change goes through the same services as the pages and the CLI (audited, checked).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from otbill.domain.clinic_setup import Address, Location, PayerTerms, ProviderDetails
from otbill.services.clinic.locations import add_location, list_locations, set_location_active
from otbill.services.clinic.payers import (
    add_overhead,
    add_payer_terms,
    change_payer,
    fee_comparison,
    list_payer_terms,
    set_fee,
)
from otbill.services.clinic.providers import (
    add_provider_details,
    change_provider,
    list_providers,
)
from otbill.web.app import today, wiring
from otbill.web.routes.api import api_user, domain_errors, unit_of_work
from otbill.web.routes.api_setup_models import (
    AddressIO,
    FeeIn,
    FeeOut,
    LocationIO,
    LocationUseIO,
    OverheadIn,
    PayerIO,
    ProviderIO,
)
from otbill.web.security import SessionUser

router = APIRouter(prefix="/api/clinic", tags=["clinic setup"])
Reader = Annotated[SessionUser, Depends(api_user("biller", "auditor"))]
Admin = Annotated[SessionUser, Depends(api_user("admin"))]


def _address(given: AddressIO | None) -> Address | None:
    return Address(given.line1, given.city, given.state, given.zip) if given else None


def _payer(given: PayerIO, payer_id: int = 0) -> PayerTerms:
    fields = given.model_dump(exclude={"id", "claim_address"})
    return PayerTerms(id=payer_id, claim_address=_address(given.claim_address), **fields)


def _provider(given: ProviderIO, provider_id: int = 0) -> ProviderDetails:
    return ProviderDetails(id=provider_id, **given.model_dump(exclude={"id"}))


@router.get("/locations", response_model=list[LocationIO], summary="List locations")
def get_locations(request: Request, user: Reader) -> Any:
    with unit_of_work(request, user) as uow:
        return [dataclasses.asdict(x) for x in list_locations(uow)]


@router.post("/locations", response_model=LocationIO, status_code=201, summary="Add a location")
def post_location(request: Request, user: Admin, location: LocationIO) -> Any:
    address = _address(location.address)
    assert address is not None
    place = Location(0, location.name, address, location.place_of_service, location.active)
    with domain_errors(), unit_of_work(request, user) as uow:
        new_id = add_location(uow, place, on=today(request))
    return location.model_copy(update={"id": new_id})


@router.patch(
    "/locations/{location_id}", response_model=LocationIO, summary="Take a location out of use"
)
def patch_location(request: Request, user: Admin, location_id: int, change: LocationUseIO) -> Any:
    """``{"active": false}`` stops offering the location for new appointments; visits and
    appointments already there keep it."""
    with domain_errors(), unit_of_work(request, user) as uow:
        set_location_active(uow, location_id, change.active)
        found = {x.id: x for x in list_locations(uow)}[location_id]
    return dataclasses.asdict(found)


@router.get("/providers", response_model=list[ProviderIO], summary="List providers")
def get_providers(request: Request, user: Reader) -> Any:
    with unit_of_work(request, user) as uow:
        return [dataclasses.asdict(p) for p in list_providers(uow)]


@router.get("/providers/{provider_id}", response_model=ProviderIO, summary="One provider")
def get_provider(request: Request, user: Reader, provider_id: int) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        return dataclasses.asdict(uow.providers.details_of(provider_id))


@router.post("/providers", response_model=ProviderIO, status_code=201, summary="Add a provider")
def post_provider(request: Request, user: Admin, provider: ProviderIO) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        new_id = add_provider_details(uow, _provider(provider))
        return dataclasses.asdict(uow.providers.details_of(new_id))


@router.put("/providers/{provider_id}", response_model=ProviderIO, summary="Change a provider")
def put_provider(request: Request, user: Admin, provider_id: int, provider: ProviderIO) -> Any:
    with domain_errors(), unit_of_work(request, user) as uow:
        change_provider(uow, _provider(provider, provider_id))
        return dataclasses.asdict(uow.providers.details_of(provider_id))


@router.get("/payers", response_model=list[PayerIO], summary="List payers with their terms")
def get_payers(request: Request, user: Reader) -> Any:
    with unit_of_work(request, user) as uow:
        return [dataclasses.asdict(p) for p in list_payer_terms(uow)]


@router.post("/payers", response_model=PayerIO, status_code=201, summary="Add a payer")
def post_payer(request: Request, user: Admin, payer: PayerIO) -> Any:
    known = wiring(request).profiles
    with domain_errors(), unit_of_work(request, user) as uow:
        new_id = add_payer_terms(uow, _payer(payer), known_profiles=known)
        return dataclasses.asdict(uow.payers.terms_of(new_id))


@router.put("/payers/{payer_id}", response_model=PayerIO, summary="Change a payer's terms")
def put_payer(request: Request, user: Admin, payer_id: int, payer: PayerIO) -> Any:
    known = wiring(request).profiles
    with domain_errors(), unit_of_work(request, user) as uow:
        change_payer(uow, _payer(payer, payer_id), known_profiles=known)
        return dataclasses.asdict(uow.payers.terms_of(payer_id))


@router.get("/fees", response_model=list[FeeOut], summary="Payer fees beside the charge master")
def get_fees(request: Request, user: Reader) -> Any:
    with unit_of_work(request, user) as uow:
        rows = fee_comparison(uow)
    return [
        FeeOut(code=r.code, year=r.year, payer=r.payer, contracted_rate=r.contracted,
               charge=r.charge)
        for r in rows
    ]  # fmt: skip


@router.post("/fees", status_code=201, summary="Set a fee-schedule row")
def post_fee(request: Request, user: Admin, fee: FeeIn) -> dict[str, int]:
    with domain_errors(), unit_of_work(request, user) as uow:
        fee_id = set_fee(
            uow, code=fee.code, charge=fee.charge, allowed=fee.contracted_rate,
            effective_from=dt.date(fee.year, 1, 1), payer_id=fee.payer_id,
        )  # fmt: skip
    return {"id": fee_id}


@router.post("/overhead", status_code=201, summary="Add a month's overhead entry")
def post_overhead(request: Request, user: Admin, entry: OverheadIn) -> dict[str, int]:
    month = dt.date.fromisoformat(f"{entry.month}-01")
    with domain_errors(), unit_of_work(request, user) as uow:
        entry_id = add_overhead(uow, month=month, category=entry.category, amount=entry.amount)
    return {"id": entry_id}
