"""Admin pages of the clinic's setup: locations, providers, payers' fees beside the charge
master, and the monthly overhead (users, payers and tokens stay on ``/admin``).

A failed form shows the page again (422) with the message inside the form's own section and what
was typed kept; a saved one redirects (POST-redirect-GET).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.domain.clinic_setup import Address, Location, ProviderDetails
from otbill.domain.credentials import is_assistant
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import OtbillError
from otbill.services.clinic import accounts
from otbill.services.clinic.fields import required
from otbill.services.clinic.identity import change_clinic, checked_clinic
from otbill.services.clinic.locations import add_location, list_locations, set_location_active
from otbill.services.clinic.payers import add_overhead, fee_comparison, list_payer_terms
from otbill.services.clinic.providers import (
    CREDENTIALS,
    add_provider_details,
    change_provider,
    list_providers,
)
from otbill.storage import UnitOfWork
from otbill.web.app import render, today
from otbill.web.params import is_whole
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
Admin = Annotated[SessionUser, Depends(require_roles("admin"))]
PAGE_SIZE = 25
_NOTICES = {
    "clinic": "Clinic details saved.",
    "location": "Location added.",
    "location-off": "Location taken out of use: it is no longer offered for new appointments.",
    "location-on": "Location back in use.",
    "provider": "Provider added.",
    "provider_changed": "Provider changed.",
    "overhead": "Overhead entry saved.",
    "prices": "Price list setting saved.",
}


def _providers_page(providers: list[ProviderDetails], q: str, page: int) -> dict[str, Any]:
    """The providers matching ``q`` (name, NPI or credential), one page of them."""
    wanted = q.strip().lower()
    found = [
        p for p in providers
        if not wanted or wanted in f"{p.first_name} {p.last_name} {p.npi} {p.credential}".lower()
    ]  # fmt: skip
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"providers": shown, "q": q, "page": page, "pages": pages, "found": len(found)}


def _page(request: Request, user: SessionUser, status: int = 200, **extra: Any) -> HTMLResponse:
    q = request.query_params.get("q", "")
    page = request.query_params.get("page", "1")
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        providers = list_providers(uow)
        context = {
            "clinic": uow.clinics.identity(),
            "locations": list_locations(uow),
            "all_providers": providers,
            "supervisors": [p for p in providers if not is_assistant(p.credential)],
            "users": [u for u in accounts.list_users(uow) if u.active],
            "payers": list_payer_terms(uow),
            "comparison": fee_comparison(uow),
            "overhead": uow.clinics.overhead(240),
            "publish_prices": uow.clinics.publishes_prices(),
        }
    context |= _providers_page(providers, q, int(page) if is_whole(page, 6) else 1)
    context |= {"credentials": CREDENTIALS, "values": {}, "error": None, "error_in": None}
    context["notice"] = _NOTICES.get(request.query_params.get("done", ""))
    return render(request, "admin/setup.html", {**context, **extra}, status_code=status)


async def _act(
    request: Request,
    user: SessionUser,
    section: str,
    action: Callable[[UnitOfWork, dict[str, str]], str],
) -> Response:
    """Run ``action`` on the posted form in one unit of work; redirect, or show the error."""
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token"}
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            done = action(uow, values)
    except OtbillError as exc:
        return _page(request, user, 422, error=str(exc), error_in=section, values=values)
    return RedirectResponse(f"/admin/setup?done={done}#{section}", status_code=303)


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise RecordError(f"{field} {value!r}: use YYYY-MM-DD") from exc


def _id(value: str, field: str) -> int | None:
    if not value:
        return None
    if not is_whole(value, 12):
        raise RecordError(f"{field} {value!r}: choose one from the list")
    return int(value)


@router.get("/admin/setup", include_in_schema=False)
def setup_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request, user)


@router.post("/admin/locations", include_in_schema=False)
async def post_location(request: Request, user: Admin) -> Response:
    def action(uow: UnitOfWork, v: dict[str, str]) -> str:
        address = Address(v.get("street", ""), v.get("city", ""), v.get("state", ""),
                          v.get("zip", ""))  # fmt: skip
        place = Location(0, v.get("name", ""), address, v.get("place_of_service", ""))
        add_location(uow, place, on=today(request))
        return "location"

    return await _act(request, user, "locations", action)


@router.post("/admin/locations/{location_id}/active", include_in_schema=False)
async def post_location_active(request: Request, user: Admin, location_id: int) -> Response:
    def action(uow: UnitOfWork, v: dict[str, str]) -> str:
        wanted = v.get("active", "")
        if wanted not in ("yes", "no"):
            raise RecordError(f"active {wanted!r}: yes or no")
        try:
            set_location_active(uow, location_id, wanted == "yes")
        except NotFound as exc:
            raise HTTPException(404, "no such location in this clinic") from exc
        return "location-on" if wanted == "yes" else "location-off"

    return await _act(request, user, "locations", action)


@router.post("/admin/providers", include_in_schema=False)
async def post_provider(request: Request, user: Admin) -> Response:
    def action(uow: UnitOfWork, v: dict[str, str]) -> str:
        add_provider_details(uow, _provider_form(v))
        return "provider"

    response = await _act(request, user, "providers", action)
    linked = str((await request.form()).get("user_id", ""))
    if is_whole(linked):  # the login's provider record changes at its next request
        request.app.state.users.forget(int(linked))
    return response


@router.post("/admin/overhead", include_in_schema=False)
async def post_overhead(request: Request, user: Admin) -> Response:
    def action(uow: UnitOfWork, v: dict[str, str]) -> str:
        month = _date(f"{required(v.get('month'), 'month')}-01", "month")
        try:
            amount = Decimal(v.get("amount", "").lstrip("$").replace(",", ""))
        except InvalidOperation as exc:
            raise RecordError(
                f"overhead amount {v.get('amount')!r}: dollars, such as 4200"
            ) from exc
        assert month is not None
        add_overhead(uow, month=month, category=v.get("category", ""), amount=amount)
        return "overhead"

    return await _act(request, user, "overhead", action)


def _provider_form(v: dict[str, str], provider_id: int = 0) -> ProviderDetails:
    return ProviderDetails(
        provider_id, v.get("npi", ""), v.get("first_name", ""), v.get("last_name", ""),
        v.get("credential", ""), v.get("taxonomy", ""),
        _id(v.get("supervisor_id", ""), "supervising therapist"),
        _id(v.get("user_id", ""), "user"),
        v.get("license_state") or None, v.get("license_number") or None,
        _date(v.get("hired_on", ""), "hire date"),
        _date(v.get("terminated_on", ""), "termination date"),
    )  # fmt: skip


def _edit_page(
    request: Request, user: SessionUser, provider_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        provider = uow.providers.details_of(provider_id)
        others = [p for p in list_providers(uow) if p.id != provider_id]
        users = [u for u in accounts.list_users(uow) if u.active]
    values = {k: "" if v is None else str(v) for k, v in dataclasses.asdict(provider).items()}
    context = {
        "provider": provider, "values": values, "credentials": CREDENTIALS, "users": users,
        "supervisors": [p for p in others if not is_assistant(p.credential)], "error": None,
    }  # fmt: skip
    return render(request, "admin/provider.html", {**context, **extra}, status_code=status)


@router.get("/admin/providers/{provider_id}", include_in_schema=False)
def provider_page(request: Request, user: Admin, provider_id: int) -> HTMLResponse:
    try:
        return _edit_page(request, user, provider_id)
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc


@router.post("/admin/providers/{provider_id}", include_in_schema=False)
async def post_provider_change(request: Request, user: Admin, provider_id: int) -> Response:
    """Change a provider (a termination date, a new licence, another supervisor)."""
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token"}
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            change_provider(uow, _provider_form(values, provider_id))
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except OtbillError as exc:
        return _edit_page(request, user, provider_id, 422, error=str(exc), values=values)
    if is_whole(values.get("user_id", "")):
        request.app.state.users.forget(int(values["user_id"]))
    return RedirectResponse("/admin/setup?done=provider_changed#providers", status_code=303)


@router.post("/admin/clinic", include_in_schema=False)
async def post_clinic(request: Request, user: Admin) -> Response:
    """Change the clinic's legal name, billing NPI, tax ID, taxonomy or addresses."""

    def action(uow: UnitOfWork, v: dict[str, str]) -> str:
        clinic = checked_clinic(
            uow.clinics.code(), v.get("name", ""), v.get("npi", ""), v.get("tax_id", ""),
            (v.get("line1", ""), v.get("city", ""), v.get("state", ""), v.get("zip", "")),
            v.get("taxonomy") or None,
            (v.get("pay_line1", ""), v.get("pay_city", ""), v.get("pay_state", ""),
             v.get("pay_zip", "")),
        )  # fmt: skip
        change_clinic(uow, clinic)
        return "clinic"

    return await _act(request, user, "clinic", action)
