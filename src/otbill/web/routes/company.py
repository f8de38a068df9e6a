"""The billing company's pages: the dashboard over the granted clinics, the cross-clinic work
queue, switching into a clinic, the owner's grants page (where the owner also deactivates and
reactivates the company's users) and each company user's own password page.

A company user's session is always their linked user in one granted clinic (every clinic page
works unchanged); these pages look up the company user behind it and read only the clinics
granted now. A clinic's own user gets a 404 in words here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.record_errors import RecordError
from otbill.services.clinic.companies import CompanyAccess, company_access
from otbill.services.views.company import COMPANY_TABS, company_dashboard, company_queue
from otbill.web.app import render
from otbill.web.routes.sessions_pages import DIFFER, PasswordForm
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
Anyone = Annotated[SessionUser, Depends(require_roles())]


def access_of(request: Request, user: SessionUser) -> CompanyAccess:
    """The company user behind the session, or a 404 in words for a clinic's own user."""
    access = company_access(request.app.state.db, user.id)
    if access is None:
        raise HTTPException(404, "No billing company page here: you are a clinic's own user.")
    return access


def _local(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/company")
def dashboard_page(request: Request, user: Anyone) -> Response:
    access = access_of(request, user)
    lines = company_dashboard(request.app.state.db, access)
    notice = request.session.pop("flash", None)
    from otbill.web.routes.jobs import no_worker

    context = {"access": access, "lines": lines, "current": user.clinic_id, "notice": notice,
               "no_worker": no_worker(request, user.clinic_id)}  # fmt: skip
    return render(request, "company/dashboard.html", context)


@router.get("/company/queue")
def queue_page(
    request: Request, user: Anyone, tab: str = "held", clinic: str = "", q: str = "",
    page: int = 1,
) -> Response:  # fmt: skip
    access = access_of(request, user)
    chosen = int(clinic) if clinic.isdigit() and len(clinic) < 19 else None  # "": all clinics
    found = company_queue(request.app.state.db, access, tab, clinic_id=chosen, search=q, page=page)
    context = {"access": access, "found": found, "tabs": COMPANY_TABS, "clinic": chosen, "q": q}
    return render(request, "company/queue.html", context)


@router.post("/company/switch")
def switch_clinic(
    request: Request,
    user: Anyone,
    clinic_id: Annotated[int, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Work in another granted clinic: the session becomes the linked user there (a new
    session id; the old one ends), then the page asked for."""
    access = access_of(request, user)
    clinic = access.clinic(clinic_id)
    if clinic is None:
        raise HTTPException(404, "That clinic is not granted to you (or no longer).")
    if clinic.user_id != user.id:
        flash = f"You are now working in {clinic.clinic_name} ({clinic.clinic_code})."
        request.session.clear()
        request.session["uid"] = clinic.user_id
        request.session["flash"] = flash
        request.app.state.users.forget(user.id)
    return RedirectResponse(_local(next), status_code=303)


@router.get("/company/grants")
def grants_page(request: Request, user: Anyone) -> Response:
    access = access_of(request, user)
    if not access.user.owner:
        raise HTTPException(403, "Only your company's owner may grant clinics.")
    from otbill.services.clinic.companies import company_users, granted_clinics

    db = request.app.state.db
    people = [(u, granted_clinics(db, u.id)) for u in company_users(db, access.company.code)]
    notice, error = request.session.pop("flash", None), request.session.pop("flash_error", None)
    context = {"access": access, "people": people, "notice": notice, "error": error}
    return render(request, "company/grants.html", context)


@router.post("/company/grants")
def grant_clinic(
    request: Request,
    user: Anyone,
    username: Annotated[str, Form()],
    clinic_id: Annotated[int, Form()],
    role: Annotated[list[str] | None, Form()] = None,
) -> Response:
    from otbill.services.clinic.companies import owner_grants_clinic

    access = access_of(request, user)
    try:
        roles = role or []
        owner_grants_clinic(request.app.state.db, access, username, clinic_id, roles)
        request.session["flash"] = f"{username} may now work in the clinic as {', '.join(roles)}."
    except RecordError as exc:
        request.session["flash_error"] = f"Nothing was granted: {exc}"
    return RedirectResponse("/company/grants", status_code=303)


@router.post("/company/grants/revoke")
def revoke_clinic(
    request: Request,
    user: Anyone,
    username: Annotated[str, Form()],
    clinic_id: Annotated[int, Form()],
) -> Response:
    from otbill.services.clinic.companies import owner_revokes_clinic

    access = access_of(request, user)
    try:
        ended = owner_revokes_clinic(request.app.state.db, access, username, clinic_id)
        request.session["flash"] = (
            f"{username} no longer works in the clinic ({ended} session(s) ended)."
        )
    except RecordError as exc:
        request.session["flash_error"] = f"Nothing was revoked: {exc}"
    return RedirectResponse("/company/grants", status_code=303)


@router.get("/company/password")
def password_page(request: Request, user: Anyone) -> Response:
    access = access_of(request, user)
    return render(request, "company/password.html", {"access": access, "error": None})


@router.post("/company/password")
def change_password(request: Request, user: Anyone, form: PasswordForm) -> Response:
    """The company user's own password; every session of theirs ends, in every clinic."""
    from otbill.services.clinic.company_users import change_company_password

    access = access_of(request, user)
    error = DIFFER if form.new != form.again else None
    if error is None:
        by = f"{access.company.code}/{access.user.username}"
        try:
            db = request.app.state.db
            change_company_password(db, access.user, form.current, form.new, by=by)
        except RecordError as exc:
            error = f"Your password was not changed: {exc}"
    if error is not None:
        context = {"access": access, "error": error}
        return render(request, "company/password.html", context, status_code=422)
    request.session.clear()  # every session ended, this one too: log in with the new password
    return RedirectResponse("/login?changed=1", status_code=303)


def _set_active(request: Request, user: SessionUser, username: str, active: bool) -> Response:
    from otbill.services.clinic.company_users import owner_sets_user_active

    access = access_of(request, user)
    try:
        changed = owner_sets_user_active(request.app.state.db, access, username, active)
        request.session["flash"] = (
            f"{username} may log in again ({changed.clinics} clinic(s) still granted)."
            if active
            else f"{username} can no longer log in ({changed.sessions_ended} session(s) ended)."
        )
    except RecordError as exc:
        request.session["flash_error"] = f"Nothing was changed: {exc}"
    return RedirectResponse("/company/grants", status_code=303)


@router.post("/company/users/deactivate")
def deactivate_user(request: Request, user: Anyone, username: Annotated[str, Form()]) -> Response:
    """The owner stops a company user at once: no login, every session ended."""
    return _set_active(request, user, username, False)


@router.post("/company/users/reactivate")
def reactivate_user(request: Request, user: Anyone, username: Annotated[str, Form()]) -> Response:
    return _set_active(request, user, username, True)
