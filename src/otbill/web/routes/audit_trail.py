"""The audit trail for auditors: every change, who made it and when; and a check of the chain."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.services.clinic.accounts import list_users
from otbill.services.clinic.audit import verify_audit
from otbill.services.views.audit_trail import KNOWN_ENTITIES, audit_page
from otbill.web.app import render
from otbill.web.params import whole_number
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
_PAGE = 50
Auditor = Annotated[SessionUser, Depends(require_roles("auditor"))]
_VERIFIED = "audit.verified"  # the session key of the last check's result


def _changes(data: dict[str, Any] | None) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) if data else ""


def _context(request: Request, user: SessionUser) -> dict[str, Any]:
    params = request.query_params
    entity = (params.get("entity") or "").strip() or None
    entity_id = (params.get("entity_id") or "").strip() or None
    user_id = whole_number(params.get("user"), "user")
    filters = {"entity": entity, "entity_id": entity_id, "user_id": user_id}
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        page = audit_page(
            uow, entity=entity, entity_id=entity_id, user_id=user_id,
            before=whole_number(params.get("before"), "before"), size=_PAGE,
        )  # fmt: skip
        users = list_users(uow)
    query = {k: v for k, v in (("entity", filters["entity"]), ("entity_id", filters["entity_id"]),
                               ("user", filters["user_id"])) if v is not None}  # fmt: skip
    return {
        "page": page,
        "users": users,
        "entities": KNOWN_ENTITIES,
        "filters": filters,
        "query": query,
        "changes": _changes,
        "first_page": params.get("before") is None,
        "verify": None,
    }


@router.get("/audit", include_in_schema=False)
def audit_trail(request: Request, user: Auditor) -> HTMLResponse:
    context = _context(request, user)
    context["verify"] = request.session.pop(_VERIFIED, None)  # a check's result, shown once
    return render(request, "audit/index.html", context)


@router.post("/audit/verify", include_in_schema=False)
def verify_chain(request: Request, user: Auditor) -> Response:
    """Recompute every hash of this clinic's chain; name the rows that changed, if any."""
    settings = request.app.state.settings  # the signed checkpoints too, when a key is set
    found = verify_audit(request.app.state.db, user.clinic_id,
                         checkpoints=settings.checkpoint_dir, key=settings.audit_key)  # fmt: skip
    problems = found.get(user.clinic_code, [])
    verify = {"ok": not problems, "problems": [str(p) for p in problems[:100]],
              "count": len(problems)}  # fmt: skip
    if request.headers.get("hx-request"):
        return render(request, "audit/_verify.html", {**_context(request, user), "verify": verify})
    request.session[_VERIFIED] = verify  # shown by the page the browser is sent back to
    return RedirectResponse("/audit#verify-result", status_code=303)
