"""Self-pay pages: the clinic's settings (admins) and a patient's self-pay account (front desk).

``/admin/self-pay``: prompt pay, the sliding scale's tiers from a date, packages offered (its card
also loads on the admin setup page). ``/patients/{id}/self-pay``: the self-pay charges, discounts
and packages on the patient's account, packages with visits left, the household for the sliding
scale, selling a package, and "Paid at the visit" (prompt pay) for a visit. Every change goes
through :mod:`otbill.services.self_pay`; a refusal re-renders the page with the message (422).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.self_pay import charges, settings
from otbill.storage import UnitOfWork
from otbill.web.app import render, today
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()

Admin = Annotated[SessionUser, Depends(require_roles("admin"))]
Clerk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
Reader = Annotated[SessionUser, Depends(require_roles("front-desk", "biller", "auditor"))]


def _cents(text: str, what: str) -> int:
    try:
        amount = Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise OtbillError(f"{what} {text!r}: an amount in dollars (e.g. 120.00)") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**9:
        raise OtbillError(f"{what} {text!r}: dollars and cents, not negative")
    return int(amount * 100)


def _whole(text: str, what: str) -> int:
    value = text.strip().rstrip("%")
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise OtbillError(f"{what} {text!r}: a whole number")
    return int(value)


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise OtbillError(f"{what} {text!r}: a date as YYYY-MM-DD") from None


def _tiers(text: str) -> list[settings.Tier]:
    """``150:50, 200:25``: income up to 150% of the guideline 50% off, up to 200% 25% off."""
    tiers = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        limit, sep, off = part.partition(":")
        if not sep:
            raise OtbillError(
                f"tiers {part.strip()!r}: each tier as income percent:percent off, e.g. 150:50"
            )
        tiers.append(settings.Tier(_whole(limit, "income up to"), _whole(off, "percent off")))
    return tiers


# --- the clinic's settings -------------------------------------------------------------------


def _page(
    request: Request,
    user: SessionUser,
    template: str,
    load: Callable[[UnitOfWork], dict[str, object]],
    error: str | None,
    part: str,
) -> Response:
    """``self_pay/<template>.html`` (the ``_<template>`` part alone when htmx asks for
    ``part``) with what ``load`` reads; a refusal's message shown with status 422."""
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        context = load(uow)
    flash = request.session.pop("flash", None) if not part else None
    if error:
        flash = {"kind": "error", "text": error}
    name = f"self_pay/_{template}.html" if part else f"self_pay/{template}.html"
    return render(request, name, {**context, "flash": flash}, status_code=422 if error else 200)


def _change(
    request: Request,
    user: SessionUser,
    action: Callable[[UnitOfWork], str],
    done: str,
    refused: Callable[[str], Response],
) -> Response:
    """Run ``action`` in one unit of work; its message flashed on ``done`` (redirect after the
    post), a refusal in words on the page again (``refused``), a record not found a 404."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            message = action(uow)
    except NotFound as error:
        raise HTTPException(404, str(error)) from None
    except OtbillError as error:  # PermissionDenied too: the message says which role
        return refused(str(error))
    request.session["flash"] = {"kind": "ok", "text": message}
    return RedirectResponse(done, status_code=303)


def _settings_page(
    request: Request, user: SessionUser, error: str | None = None, part: str = ""
) -> Response:
    def load(uow: UnitOfWork) -> dict[str, object]:
        return {"s": settings.settings_view(uow, today(request))}

    return _page(request, user, "settings", load, error, part)


@router.get("/admin/self-pay", include_in_schema=False)
def settings_page(request: Request, user: Admin, part: str = "") -> Response:
    return _settings_page(request, user, part=part)


def _admin_change(
    request: Request, user: SessionUser, action: Callable[[UnitOfWork], str]
) -> Response:
    refused = partial(_settings_page, request, user)  # the page again with the error
    return _change(request, user, action, "/admin/self-pay", refused)


@router.post("/admin/self-pay/prompt-pay", include_in_schema=False)
def prompt_pay_rule(
    request: Request,
    user: Admin,
    percent_off: Annotated[str, Form()] = "",
    effective_from: Annotated[str, Form()] = "",
) -> Response:
    def action(uow: UnitOfWork) -> str:
        pct = _whole(percent_off, "percent off")
        on = _date(effective_from, "effective from")
        settings.set_prompt_pay(uow, pct, on)
        return f"Prompt pay from {on}: {pct}% off when the patient pays at the visit."

    return _admin_change(request, user, action)


@router.post("/admin/self-pay/sliding-scale", include_in_schema=False)
def sliding_scale_rule(
    request: Request,
    user: Admin,
    tiers: Annotated[str, Form()] = "",
    guideline_first: Annotated[str, Form()] = "",
    guideline_each_more: Annotated[str, Form()] = "",
    effective_from: Annotated[str, Form()] = "",
) -> Response:
    def action(uow: UnitOfWork) -> str:
        typed = _tiers(tiers)
        on = _date(effective_from, "effective from")
        settings.set_sliding_scale(
            uow, typed, on,
            guideline_first_cents=_cents(guideline_first, "poverty guideline for one person"),
            guideline_each_more_cents=_cents(guideline_each_more, "poverty guideline per person"),
        )  # fmt: skip
        return (
            f"Sliding scale from {on}: {len(typed)} tier(s)."
            if typed
            else (f"Sliding scale ended from {on}.")
        )

    return _admin_change(request, user, action)


@router.post("/admin/self-pay/packages", include_in_schema=False)
def add_package(
    request: Request,
    user: Admin,
    name: Annotated[str, Form()] = "",
    visits: Annotated[str, Form()] = "",
    price: Annotated[str, Form()] = "",
    valid_days: Annotated[str, Form()] = "",
) -> Response:
    def action(uow: UnitOfWork) -> str:
        settings.add_package(uow, name, _whole(visits, "visits"), _cents(price, "price"),
                             _whole(valid_days, "valid for days"))  # fmt: skip
        return f"Package {' '.join(name.split())!r} offered."

    return _admin_change(request, user, action)


@router.post("/admin/self-pay/packages/{offer_id:int}/offered", include_in_schema=False)
def package_offered(
    request: Request, user: Admin, offer_id: int, offered: Annotated[str, Form()] = ""
) -> Response:
    def action(uow: UnitOfWork) -> str:
        offer = settings.set_package_offered(uow, offer_id, offered == "yes")
        state = "offered again" if offer.active else "withdrawn (packages sold stay good)"
        return f"Package {offer.name!r} {state}."

    return _admin_change(request, user, action)


# --- a patient's self-pay account ------------------------------------------------------------


def _account_page(
    request: Request, user: SessionUser, patient_id: int, error: str | None = None, part: str = ""
) -> Response:
    def load(uow: UnitOfWork) -> dict[str, object]:
        data = charges.self_pay_account(uow, patient_id, today(request))
        return {"a": data, "p": data["patient"],
                "clerk": user.has("front-desk") or user.has("biller")}  # fmt: skip

    try:
        return _page(request, user, "account", load, error, part)
    except NotFound:
        raise HTTPException(404, f"patient {patient_id} is not in this clinic") from None


@router.get("/patients/{patient_id:int}/self-pay", include_in_schema=False)
def account_page(request: Request, user: Reader, patient_id: int, part: str = "") -> Response:
    return _account_page(request, user, patient_id, part=part)


def _clerk_change(
    request: Request, user: SessionUser, patient_id: int, action: Callable[[UnitOfWork], str]
) -> Response:
    refused = partial(_account_page, request, user, patient_id)  # the page again with the error
    return _change(request, user, action, f"/patients/{patient_id}/self-pay", refused)


@router.post("/patients/{patient_id:int}/self-pay/household", include_in_schema=False)
def household(
    request: Request,
    user: Clerk,
    patient_id: int,
    size: Annotated[str, Form()] = "",
    income: Annotated[str, Form()] = "",
) -> Response:
    def action(uow: UnitOfWork) -> str:
        told = charges.set_household(uow, patient_id, _whole(size, "household size"),
                                     _cents(income, "household income"), today(request))  # fmt: skip
        return f"Household saved: {told.size} people, ${told.income_cents / 100:,.2f} a year."

    return _clerk_change(request, user, patient_id, action)


@router.post("/patients/{patient_id:int}/self-pay/packages", include_in_schema=False)
def sell(
    request: Request, user: Clerk, patient_id: int, offer_id: Annotated[str, Form()] = ""
) -> Response:
    def action(uow: UnitOfWork) -> str:
        charges.sell_package(uow, patient_id, _whole(offer_id, "package"), today(request))
        return "Package sold: its price is on the patient's account."

    return _clerk_change(request, user, patient_id, action)


@router.post(
    "/patients/{patient_id:int}/self-pay/visits/{visit_id:int}/prompt-pay",
    include_in_schema=False,
)
def paid_at_visit(request: Request, user: Clerk, patient_id: int, visit_id: int) -> Response:
    def action(uow: UnitOfWork) -> str:
        done = charges.prompt_pay(uow, visit_id, today(request), patient_id=patient_id)
        if done is None:
            return "No prompt-pay discount: the clinic has no prompt-pay rule on the visit date."
        return "Prompt-pay discount posted for the visit."

    return _clerk_change(request, user, patient_id, action)
