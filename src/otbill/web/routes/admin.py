"""Admin pages: users and roles, payers, the fee schedule, and API tokens for integrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.domain.clinic_setup import Address, PayerTerms
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.services.clinic import accounts
from otbill.services.clinic import setup as clinic
from otbill.services.clinic import tokens as api_tokens
from otbill.services.clinic.fields import address_of
from otbill.services.clinic.payers import add_payer_terms, change_payer
from otbill.storage import UnitOfWork
from otbill.web.app import render, today, wiring
from otbill.web.params import is_whole
from otbill.web.security import ROLES, SessionUser, require_roles

router = APIRouter()
Admin = Annotated[SessionUser, Depends(require_roles("admin"))]
MIN_PASSWORD = 10
_ADDRESS = ("street", "city", "state", "zip")
_NOTICES = {
    "user": "User added. They can log in now with the password you gave them.",
    "deactivated": "User deactivated: they can no longer log in or use their API tokens.",
    "activated": "User reactivated.",
    "roles": "Roles changed: they apply from the user's next page.",
    "payer": "Payer added.",
    "payer_changed": "Payer changed.",
    "fee": "Fee saved.",
    "revoked": "API token revoked: calls with it are refused from now on.",
}
_NEW_TOKEN = "admin.new_token"  # the session key of a token made by the last post, shown once


def payer_profiles(request: Request) -> Mapping[str, PayerProfile]:
    """The packaged payer profiles and the clinic's own (``$OTBILL_DATA_DIR/payers``)."""
    return wiring(request).profiles


def _page(request: Request, user: SessionUser, status: int = 200, **extra: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        context = {
            "users": accounts.list_users(uow),
            "payers": accounts.list_payers(uow),
            "fees": accounts.list_fees(uow),
            "tokens": api_tokens.list_tokens(uow),
        }
    try:
        context["profiles"] = sorted(payer_profiles(request))
    except OtbillError as exc:
        context["profiles"], extra["error"] = [], f"Payer profiles: {exc}"
    notice = _NOTICES.get(request.query_params.get("done", ""))
    new_token = request.session.pop(_NEW_TOKEN, None)
    context |= {"roles": ROLES, "notice": notice, "error": None, "new_token": new_token}
    response = render(request, "admin/index.html", {**context, **extra}, status_code=status)
    response.headers["Cache-Control"] = "no-store"  # a new token is on the page once
    return response


def _act(request: Request, user: SessionUser, action: Callable[[UnitOfWork], str]) -> Response:
    """Run ``action`` in one unit of work: redirect with its notice, or show the error."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            done = action(uow)
    except OtbillError as exc:
        return _page(request, user, status=422, error=str(exc))
    return RedirectResponse(f"/admin?done={done}", status_code=303)


@router.get("/admin", include_in_schema=False)
def admin_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request, user)


@router.post("/admin/users", include_in_schema=False)
def add_user(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()],
    full_name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    username, full_name = username.strip(), full_name.strip()
    problem = None
    if not username or not full_name:
        problem = "Give the user a user name and a full name."
    elif not roles:
        problem = "Choose at least one role."
    elif len(password) < MIN_PASSWORD:
        problem = f"The initial password needs at least {MIN_PASSWORD} characters."
    if problem:
        return _page(request, user, status=422, error=problem)

    def action(uow: UnitOfWork) -> str:
        clinic.add_user(
            uow, username=username, full_name=full_name, password=password, roles=roles or []
        )
        return "user"

    return _act(request, user, action)


@router.post("/admin/users/{user_id}/roles", include_in_schema=False)
def set_roles(
    request: Request,
    user: Admin,
    user_id: int,
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    def action(uow: UnitOfWork) -> str:
        clinic.set_user_roles(uow, user_id, roles or [])
        return "roles"

    response = _act(request, user, action)
    request.app.state.users.forget(user_id)  # the new roles apply at their next request
    return response


@router.post("/admin/users/{user_id}/active", include_in_schema=False)
def set_active(
    request: Request, user: Admin, user_id: int, active: Annotated[bool, Form()] = False
) -> Response:
    def action(uow: UnitOfWork) -> str:
        accounts.set_user_active(uow, user_id, active)
        return "activated" if active else "deactivated"

    response = _act(request, user, action)
    request.app.state.users.forget(user_id)  # the change takes effect at the next request
    return response


def _days(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    if not is_whole(value.strip(), 5):
        raise RecordError(f"{field} {value!r}: a whole number of days, such as 365")
    return int(value)


def _claim_address(form: Mapping[str, str]) -> Address | None:
    street, city, state, zip_code = (form.get(f"claim_{k}", "").strip() for k in _ADDRESS)
    if not any((street, city, state, zip_code)):
        return None
    return address_of(street, city, state, zip_code, field="claim address")


def _terms_of(form: Mapping[str, str], payer_id: int = 0) -> PayerTerms:
    """The payer form's values as a payer with its terms (bad days or address: RecordError)."""
    return PayerTerms(
        payer_id, form.get("payer_code", "").strip(), form.get("name", "").strip(),
        form.get("profile", ""), form.get("network", "in") or "in", _claim_address(form),
        _days(form.get("timely_filing_days", ""), "timely-filing days"),
        _days(form.get("appeal_days", ""), "appeal days"), form.get("contract_notes"),
    )  # fmt: skip


@router.post("/admin/payers", include_in_schema=False)
async def add_payer(request: Request, user: Admin) -> Response:
    """A payer with its contract terms (network, claim address, deadlines, notes)."""
    known = payer_profiles(request)
    form = {k: str(v) for k, v in (await request.form()).items()}

    def action(uow: UnitOfWork) -> str:
        add_payer_terms(uow, _terms_of(form), known_profiles=known)
        return "payer"

    return _act(request, user, action)


def _payer_page(
    request: Request, user: SessionUser, payer_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        payer = uow.payers.terms_of(payer_id)
    a = payer.claim_address
    values = {k: "" if v is None else str(v) for k, v in asdict(payer).items()}
    values |= dict(zip(("claim_" + k for k in _ADDRESS),
                       (a.line1, a.city, a.state, a.zip) if a else ("",) * 4, strict=True))  # fmt: skip
    context = {"payer": payer, "values": values, "profiles": sorted(payer_profiles(request))}
    return render(request, "admin/payer.html", {**context, "error": None, **extra}, status)


@router.get("/admin/payers/{payer_id}", include_in_schema=False)
def payer_page(request: Request, user: Admin, payer_id: int) -> HTMLResponse:
    try:
        return _payer_page(request, user, payer_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/admin/payers/{payer_id}", include_in_schema=False)
async def change_payer_terms(request: Request, user: Admin, payer_id: int) -> Response:
    """Change a payer's name, profile or contract terms."""
    known = payer_profiles(request)
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            change_payer(uow, _terms_of(form, payer_id), known_profiles=known)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except OtbillError as exc:
        return _payer_page(request, user, payer_id, 422, error=str(exc), values=form)
    return RedirectResponse("/admin?done=payer_changed#payers", status_code=303)


def _money(value: str, label: str) -> Decimal:
    try:
        amount = Decimal(value.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise RecordError(f"{label} {value!r}: enter an amount in dollars, such as 65.00")
    return amount


@router.post("/admin/fees", include_in_schema=False)
def set_fee(
    request: Request,
    user: Admin,
    code: Annotated[str, Form()],
    charge: Annotated[str, Form()],
    allowed: Annotated[str, Form()],
    effective_from: Annotated[str, Form()] = "",
    payer_id: Annotated[str, Form()] = "",
) -> Response:
    def action(uow: UnitOfWork) -> str:
        try:
            start = dt.date.fromisoformat(effective_from) if effective_from else today(request)
        except ValueError as exc:
            raise RecordError(f"effective date {effective_from!r}: use YYYY-MM-DD") from exc
        clinic.set_fee(
            uow,
            code=code.strip(),
            charge=_money(charge, "charge"),
            allowed=_money(allowed, "expected allowed amount"),
            effective_from=start,
            payer_id=int(payer_id) if is_whole(payer_id) else None,
        )
        return "fee"

    return _act(request, user, action)


@router.post("/admin/tokens", include_in_schema=False)
def create_token(
    request: Request,
    user: Admin,
    user_id: Annotated[int, Form()],
    name: Annotated[str, Form()],
) -> Response:
    """A new API token, shown on this page once (only its SHA-256 is kept)."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            token_id, token = api_tokens.create_token(uow, user_id, name)
    except OtbillError as exc:
        return _page(request, user, status=422, error=str(exc))
    # Shown by the next GET and dropped from the session there: a reload makes no second token.
    request.session[_NEW_TOKEN] = {"id": token_id, "token": token, "name": name}
    return RedirectResponse("/admin?done=token#tokens", status_code=303)


@router.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(request: Request, user: Admin, token_id: int) -> Response:
    def action(uow: UnitOfWork) -> str:
        api_tokens.revoke_token(uow, token_id)
        return "revoked"

    return _act(request, user, action)
