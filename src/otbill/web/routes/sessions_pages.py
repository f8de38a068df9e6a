"""Sessions and passwords in the browser: an admin sees who is logged in and ends a user's
sessions (a lost laptop, a departing employee); every user changes their own password, which
ends all their sessions (they log in again with the new one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from otbill.errors import OtbillError
from otbill.services.clinic import sessions
from otbill.web.app import render
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
Admin = Annotated[SessionUser, Depends(require_roles("admin"))]
Anyone = Annotated[SessionUser, Depends(require_roles())]

DIFFER = "The new password and its repetition differ."


@dataclass(frozen=True)
class PasswordChange:
    """The change-password form (a clinic user's, a company user's): current, new, new again."""

    current: str
    new: str
    again: str


def password_change(
    current: Annotated[str, Form()], new: Annotated[str, Form()], again: Annotated[str, Form()]
) -> PasswordChange:
    return PasswordChange(current, new, again)


PasswordForm = Annotated[PasswordChange, Depends(password_change)]


@router.get("/admin/sessions")
def sessions_page(request: Request, user: Admin) -> Response:
    db = request.app.state.db
    with db.unit_of_work(user.clinic_id) as uow:
        names = {u.id: f"{u.full_name} ({u.username})" for u in uow.users.accounts()}
        live = sessions.live_sessions(uow)
    rows = [{"who": names.get(s.user_id, "?"), "user_id": s.user_id, "s": s} for s in live]
    notice = request.session.pop("flash", None)
    settings = request.app.state.settings
    return render(
        request,
        "account/sessions.html",
        {"rows": rows, "notice": notice, "idle": settings.session_idle_minutes,
         "hours": settings.session_hours},
    )  # fmt: skip


@router.post("/admin/users/{user_id}/sessions/end")
def end_sessions(request: Request, user_id: int, user: Admin) -> Response:
    db = request.app.state.db
    try:
        with db.unit_of_work(user.clinic_id, user.id) as uow:
            name = uow.users.get(user_id).full_name
            ended = sessions.end_user_sessions(uow, user_id, "admin")
        text = (
            f"{ended} session{'' if ended == 1 else 's'} of {name} ended: they must log in again."
        )
    except OtbillError as exc:
        text = f"Nothing was ended: {exc}"
    request.session["flash"] = text
    if user_id == user.id:  # your own sessions, this one included
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/admin/sessions", status_code=303)


@router.get("/account/password")
def password_page(request: Request, user: Anyone) -> Response:
    return render(request, "account/password.html", {"error": None})


@router.post("/account/password")
def change_password(request: Request, user: Anyone, form: PasswordForm) -> Response:
    if form.new != form.again:
        return render(request, "account/password.html", {"error": DIFFER}, status_code=422)
    db = request.app.state.db
    try:
        with db.unit_of_work(user.clinic_id, user.id) as uow:
            sessions.change_password(uow, user.id, form.current, form.new)
    except OtbillError as exc:
        return render(request, "account/password.html", {"error": str(exc)}, status_code=422)
    request.session.clear()  # every session ended, this one too: log in with the new password
    return RedirectResponse("/login?changed=1", status_code=303)
