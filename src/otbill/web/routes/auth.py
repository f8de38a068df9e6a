"""Logging in and out. The only pages an anonymous user may see are the login form and its POST."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import RecordError
from otbill.services.clinic.clinics import clinic_by_code
from otbill.services.clinic.companies import company_sign_in
from otbill.services.clinic.setup import verify_password
from otbill.web.app import render
from otbill.web.security import SessionUser, require_roles, wait_in_words

router = APIRouter()
_DEFAULT_CLINIC = "DEMO"


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a user to another site after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/", changed: bool = False) -> Response:
    notice = "Password changed: every session ended; log in with the new one." if changed else None
    context = {"next": _safe_next(next), "error": None, "clinic": _DEFAULT_CLINIC}
    return render(request, "login.html", {**context, "notice": notice})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    clinic: Annotated[str, Form()] = _DEFAULT_CLINIC,
    next: Annotated[str, Form()] = "/",
) -> Response:
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "?"
    keys = [f"user:{clinic.strip().upper()}:{username.strip().lower()}", f"ip:{address}"]
    context = {"next": _safe_next(next), "clinic": clinic}
    wait = throttle.wait(keys)
    if wait:
        error = f"Too many failed attempts. Try again in {wait_in_words(wait)}."
        response = render(request, "login.html", {**context, "error": error}, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    clinic_id = clinic_by_code(request.app.state.db, clinic.strip().upper())
    user_id, landing = None, _safe_next(next)
    if clinic_id is not None:
        with request.app.state.db.unit_of_work(clinic_id) as uow:
            user_id = verify_password(uow, username.strip(), password)
    else:  # a billing company's code: its user starts in their first granted clinic
        try:
            user_id = company_sign_in(request.app.state.db, clinic, username, password)
        except RecordError as exc:
            return render(request, "login.html", {**context, "error": str(exc)}, status_code=403)
        landing = "/company" if landing == "/" else landing
    if user_id is None:
        throttle.failed(keys)
        error = "Clinic or company, user name or password is wrong."
        wait = throttle.wait(keys)
        if wait:  # say so now, not only when the next try is refused
            error += f" Wait {wait_in_words(wait)} before trying again."
        return render(request, "login.html", {**context, "error": error}, status_code=401)
    throttle.succeeded(keys)
    request.session.clear()  # a fresh session (and CSRF token) at every login
    request.session["uid"] = user_id
    return RedirectResponse(landing, status_code=303)


@router.post("/logout")
def logout(request: Request, user: Annotated[SessionUser, Depends(require_roles())]) -> Response:
    request.session.clear()
    request.app.state.users.forget(user.id)
    return RedirectResponse("/login", status_code=303)
