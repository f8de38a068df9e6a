"""The visit page: the note, minutes and live units, warnings, signing and amendments.

Who may do what (``_open``):

- the visit's own therapists — its treating provider, and the OT supervising that provider when
  they are a COTA — view it, edit the draft note and minutes, and amend it once signed;
- only the treating provider signs (the signature is theirs, in their name and credential);
- admins may view, edit and amend, but sign nothing (they are not providers);
- billers, approvers and auditors may view the visit read-only (they check claims against notes);
- any other therapist gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from otbill.domain.notes import TEXT_FIELDS
from otbill.domain.record_errors import (
    IncompleteNote,
    NoteLocked,
    NotFound,
    PermissionDenied,
    RecordError,
)
from otbill.errors import CodeError, UnitsError
from otbill.services.views import therapist_day as schedule
from otbill.services.visits import edit as schedule_edits
from otbill.services.visits import record as visits
from otbill.services.visits.plausibility import merged_rows
from otbill.storage import UnitOfWork
from otbill.web.app import render, scrub_run
from otbill.web.routes import therapist_forms as forms
from otbill.web.routes.therapist_page import page_context
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
Viewer = Annotated[
    SessionUser, Depends(require_roles("therapist", "biller", "approver", "auditor"))
]
Editor = Annotated[SessionUser, Depends(require_roles("therapist"))]
Form = Annotated[FormData, Depends(forms.form_data)]
_SAVED = {
    "recorded": "Visit recorded. Complete the note, then sign it.",
    "note": "Note saved.",
    "signed": "Note signed. It is now read-only; changes are made as amendments.",
    "amended": "Amendment added.",
}
_DOMAIN_ERRORS = (RecordError, CodeError, UnitsError, ValueError)


@dataclass(frozen=True)
class Perms:
    edit: bool
    sign: bool
    amend: bool


class Invalid(Exception):
    """Field errors: re-render the page with what was typed and the errors next to the fields."""

    def __init__(self, errors: dict[str, str], typed: dict[str, Any]) -> None:
        super().__init__("invalid form")
        self.errors, self.typed = errors, typed


def _open(
    uow: UnitOfWork, user: SessionUser, visit_id: int, *, write: bool
) -> tuple[schedule.VisitView, Perms]:
    try:
        view = schedule.load_visit(uow, visit_id)
    except NotFound:
        raise HTTPException(404, f"Visit {visit_id} was not found in this clinic.") from None
    own = "therapist" in user.roles and schedule.may_open(uow, view.visit, user.provider_id)
    manage = own or "admin" in user.roles
    if write and not manage:
        raise HTTPException(403, "Only the patient's therapist may change this visit's note.")
    if not manage and not user.has("biller", "approver", "auditor"):
        raise HTTPException(403, "This visit belongs to another therapist's patient.")
    signed = view.note.signed
    mine = user.provider_id is not None and view.visit.provider_id == user.provider_id
    return view, Perms(
        edit=manage and not signed, sign=mine and not signed, amend=manage and signed
    )


def _show(
    request: Request, user: SessionUser, visit_id: int, status: int = 200, **extra: Any
) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        view, perms = _open(uow, user, visit_id, write=False)
        context = page_context(
            uow, forms.profiles(request), view, perms, mue=scrub_run(request).mue, **extra
        )
    return render(request, "therapist/visit.html", context, status_code=status)


@router.get("/visits/{visit_id:int}")
def visit_page(request: Request, visit_id: int, user: Viewer, saved: str = "") -> Response:
    message = " ".join([_SAVED.get(saved, ""), *request.session.pop(forms.MERGED, [])])
    return _show(request, user, visit_id, message=message.strip() or None)


@router.post("/visits/{visit_id:int}/units-preview")
def units_preview(request: Request, visit_id: int, user: Viewer, form: Form) -> Response:
    """The units (and warnings) for the minutes typed, nothing saved: a partial for HTMX."""
    typed = _typed(form)
    if not request.headers.get("hx-request"):
        return _show(request, user, visit_id, typed=typed)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        view, perms = _open(uow, user, visit_id, write=False)
        context = page_context(
            uow, forms.profiles(request), view, perms, typed=typed, mue=scrub_run(request).mue
        )
    return render(request, "therapist/_units.html", context)


def _typed(form: FormData) -> dict[str, Any]:
    """What the form carried, to show again as typed."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _save(uow: UnitOfWork, request: Request, view: schedule.VisitView, form: FormData) -> list[str]:
    """Save the note and minutes; returns what was merged (two rows of one code)."""
    if view.note.signed:
        raise NoteLocked(f"This note was signed on {view.note.signature.signed_at:%Y-%m-%d}")  # type: ignore[union-attr]
    errors: dict[str, str] = {}
    note_type = forms.visit_fields(form, errors)["note_type"]
    errors.pop("place_of_service", None)  # not edited on this page
    errors.pop("telehealth", None)
    rows = forms.parse_rows(form, view.visit.date)
    errors.update(rows.errors)
    changes = forms.note_changes(form, errors)
    if errors:
        raise Invalid(errors, _typed(form))
    wanted = [(s.code, s.minutes) for s in rows.services]
    if wanted != [(line.code, line.minutes) for line in view.lines]:
        schedule_edits.set_services(uow, view.visit.id, rows.services, forms.profiles(request))
    schedule_edits.set_note_type(uow, view.visit.id, note_type)
    visits.update_note(uow, view.note_id, changes)
    return merged_rows(rows.services)


def _save_or_page(
    request: Request, user: SessionUser, visit_id: int, form: FormData
) -> Response | None:
    """Save the posted note and minutes; a page with the problem when refused, else None."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            view, _ = _open(uow, user, visit_id, write=True)
            merged = _save(uow, request, view, form)
    except Invalid as bad:
        return _show(request, user, visit_id, 422, typed=bad.typed, errors=bad.errors)
    except NoteLocked as exc:
        text = f"{exc}: a signed note cannot be edited. Add an amendment instead."
        return _show(request, user, visit_id, 409, errors={"form": text})
    except _DOMAIN_ERRORS as exc:
        errors = {"form": f"Not saved: {exc}"}
        return _show(request, user, visit_id, 422, typed=_typed(form), errors=errors)
    request.session[forms.MERGED] = merged  # said once, on the page the browser goes to next
    return None


@router.post("/visits/{visit_id:int}/note")
def save_note(request: Request, visit_id: int, user: Editor, form: Form) -> Response:
    refused = _save_or_page(request, user, visit_id, form)
    return refused or RedirectResponse(f"/visits/{visit_id}?saved=note", status_code=303)


@router.post("/visits/{visit_id:int}/sign")
def sign(request: Request, visit_id: int, user: Editor, form: Form) -> Response:
    """Sign (saving the note's fields first when the note form was posted with the button)."""
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        view, perms = _open(uow, user, visit_id, write=True)
    if view.note.signed:
        return _show(request, user, visit_id, 409, errors={"form": "This note is already signed."})
    if not perms.sign:
        raise HTTPException(403, "Only the treating therapist signs this note.")
    if "note_type" in form:
        refused = _save_or_page(request, user, visit_id, form)
        if refused is not None:
            return refused
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            visits.sign_note(uow, view.note_id)
    except IncompleteNote as exc:
        return _show(request, user, visit_id, 422, missing=list(exc.missing), refused=True)
    except PermissionDenied as exc:
        return _show(request, user, visit_id, 403, errors={"form": f"Not signed: {exc}"})
    except _DOMAIN_ERRORS as exc:
        return _show(request, user, visit_id, 422, errors={"form": f"Not signed: {exc}"})
    return RedirectResponse(f"/visits/{visit_id}?saved=signed", status_code=303)


def _amendment(view: schedule.VisitView, form: FormData) -> tuple[dict[str, Any], str]:
    errors: dict[str, str] = {}
    typed = forms.note_changes(form, errors)
    current = view.note.effective_text.as_dict()
    changes = {f: typed[f] for f in TEXT_FIELDS if typed[f] is not None and typed[f] != current[f]}
    reason = str(form.get("reason") or "").strip()
    if not changes and "total_treatment_minutes" not in errors:
        errors["amend"] = "Amendment: change at least one field of the note."
    if not reason:
        errors["reason"] = "Reason: say why the signed note is amended."
    if errors:
        raise Invalid(errors, {f"amend_{k}": v for k, v in _typed(form).items()})
    return changes, reason


@router.post("/visits/{visit_id:int}/amend")
def amend(request: Request, visit_id: int, user: Editor, form: Form) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            view, _ = _open(uow, user, visit_id, write=True)
            if not view.note.signed:
                raise NoteLocked("This note is not signed yet: edit it instead of amending")
            changes, reason = _amendment(view, form)
            visits.amend_note(uow, view.note_id, changes, reason)
    except Invalid as bad:
        return _show(request, user, visit_id, 422, typed=bad.typed, errors=bad.errors)
    except NoteLocked as exc:
        return _show(request, user, visit_id, 409, errors={"form": str(exc)})
    except _DOMAIN_ERRORS as exc:
        return _show(request, user, visit_id, 422, errors={"form": f"Not amended: {exc}"})
    return RedirectResponse(f"/visits/{visit_id}?saved=amended", status_code=303)
