"""The clinic's public price list: ``/prices`` (a page) and ``/prices.pdf``, open to anyone.

Deliberately public (no login): the only routes besides the login form that serve an anonymous
visitor. They show the clinic's name, address and charge master (code, our description, price
per unit, the date it took effect) and nothing else. A clinic that hides its list (admin setup
page) answers 404 in words. With several clinics in one database the visitor names one
(``/prices?clinic=CODE``); with one, the code may be left out. The admin's switch
(``POST /admin/prices``) lives here too, behind the admin role like the rest of the setup page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.pdf.price_list import NOTE, render_price_list
from otbill.services.clinic.clinics import list_clinics
from otbill.services.frontdesk.price_list import PriceList, public_price_list, set_publish_prices
from otbill.web.app import render, today
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Admin = Annotated[SessionUser, Depends(require_roles("admin"))]
_HIDDEN = "This clinic does not publish a price list. Ask the clinic for its prices."
_NAME_ONE = "Name the clinic whose prices you want: /prices?clinic=CODE (the clinic's code)."


def _prices(request: Request, clinic: str | None) -> PriceList:
    code = (clinic or "").strip().upper()
    if not code:
        clinics = list_clinics(request.app.state.db)
        if len(clinics) != 1:
            raise HTTPException(404, _NAME_ONE)
        code = clinics[0].code
    found = public_price_list(request.app.state.db, code[:40], today(request))
    if found is None:  # no such clinic, or hidden: the same answer, so codes cannot be probed
        raise HTTPException(404, _HIDDEN)
    return found


@router.get("/prices", include_in_schema=False)
def prices_page(request: Request, clinic: str | None = None) -> HTMLResponse:
    found = _prices(request, clinic)
    query = f"?{urlencode({'clinic': clinic})}" if clinic else ""
    return render(request, "public/prices.html", {"prices": found, "note": NOTE, "query": query})


@router.get("/prices.pdf", include_in_schema=False)
def prices_pdf(request: Request, clinic: str | None = None) -> Response:
    found = _prices(request, clinic)
    headers = {"Content-Disposition": 'inline; filename="price-list.pdf"'}
    return Response(render_price_list(found), media_type="application/pdf", headers=headers)


@router.post("/admin/prices", include_in_schema=False)
async def post_publish_prices(request: Request, user: Admin) -> Response:
    """The admin setup page's "Publish the price list" box (a checkbox: absent when off)."""
    form = await request.form()
    publish = form.get("publish_prices") in ("on", "true", "1")
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        set_publish_prices(uow, publish)
    return RedirectResponse("/admin/setup?done=prices#prices", status_code=303)
