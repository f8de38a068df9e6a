"""The first-run page: on an empty database, create the clinic and its first admin.

Open while no clinic exists (nobody could log in yet), but the form needs the first-run code that
``otbill serve`` printed in its console (:func:`otbill.web.first_run.first_run_code`); once a
clinic exists it only sends visitors to the login page, and a second first run is refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from otbill.errors import OtbillError
from otbill.services.clinic.identity import (
    MIN_PASSWORD,
    FirstRunDone,
    NewAdmin,
    checked_clinic,
    first_run,
)
from otbill.web.app import render
from otbill.web.first_run import (
    FIRST_RUN_PATH,
    clinic_exists,
    first_run_code,
    is_first_run_code,
)

router = APIRouter()
_FIELDS = (
    "code", "name", "tax_id", "npi", "taxonomy", "line1", "city", "state", "zip",
    "pay_line1", "pay_city", "pay_state", "pay_zip", "username", "full_name",
)  # fmt: skip
_DONE = RedirectResponse("/login?next=/admin/setup", status_code=303)


def _form(request: Request, values: dict[str, str], error: str | None, status: int) -> Response:
    context = {"values": values, "error": error, "min_password": MIN_PASSWORD}
    return render(request, "setup/first_run.html", context, status_code=status)


@router.get(FIRST_RUN_PATH, include_in_schema=False)
def first_run_page(request: Request) -> Response:
    if clinic_exists(request.app):
        return RedirectResponse("/login", status_code=303)
    first_run_code(request.app)  # made (and logged) now if the app was not given one
    typed = request.query_params.get("code", "")[:100]
    return _form(request, {"taxonomy": "225X00000X", "setup_code": typed}, None, 200)


@router.post(FIRST_RUN_PATH, include_in_schema=False)
async def create_first_clinic(request: Request) -> Response:
    if clinic_exists(request.app):
        return RedirectResponse("/login", status_code=303)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in _FIELDS}
    password, again = str(form.get("password", "")), str(form.get("password_again", ""))
    values["setup_code"] = str(form.get("setup_code", ""))[:100]
    if not is_first_run_code(request.app, values["setup_code"]):
        values["setup_code"] = ""
        why = ("setup code: not the code otbill printed when it started; look for the /setup "
               "link in the console where otbill serve runs")  # fmt: skip
        return _form(request, values, why, 422)
    if password != again:
        return _form(request, values, "admin password: the two passwords differ", 422)
    try:
        clinic = checked_clinic(
            values["code"], values["name"], values["npi"], values["tax_id"],
            (values["line1"], values["city"], values["state"], values["zip"]),
            values["taxonomy"] or None,
            (values["pay_line1"], values["pay_city"], values["pay_state"], values["pay_zip"]),
        )  # fmt: skip
        admin = NewAdmin(values["username"], values["full_name"], password)
        first_run(request.app.state.db, clinic, admin)
    except FirstRunDone:
        return RedirectResponse("/login", status_code=303)
    except OtbillError as exc:
        return _form(request, values, str(exc), 422)
    request.app.state.clinic_exists = True
    return _DONE
