"""Find a claim: every claim in every status, searched by patient, numbers, dates and amount.

The queues list the claims that need work; this page lists all of them, with a tab for each status
(accepted, paid, appealed, closed...) so that no claim disappears from every list after an action.
A bad search value re-renders the form with one line naming the field (422), never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from otbill.services.views.claim_search import (
    STATUS_LABELS,
    SearchError,
    parse_search,
    search_claims,
)
from otbill.services.views.work_queues import filter_options
from otbill.web.app import render
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "approver", "auditor"))]
_FIELDS = (
    "patient", "number", "payer_claim_number", "payer", "date_from", "date_to", "amount_min",
    "amount_max", "amount",
)  # fmt: skip


def _query(typed: dict[str, str], **change: Any) -> str:
    """The search as a query string, with ``change`` applied (a status tab, another page)."""
    pairs = {**typed, **{k: str(v) for k, v in change.items() if v is not None}}
    return urlencode({k: v for k, v in pairs.items() if v})


@router.get("/claims")
def claims_search(request: Request, user: Reader) -> Response:
    params = request.query_params
    typed = {k: (params.get(k) or "").strip()[:100] for k in (*_FIELDS, "status")}
    error: SearchError | None = None
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        cache, head = request.app.state.queue_cache, uow.audit_reads.head_seq()
        payers = filter_options(uow, cache, head)["payers"]
        try:
            filters, page = parse_search(params)
        except SearchError as exc:
            error, found = exc, None
        else:
            found = search_claims(uow, filters, page, cache=cache, head=head)
    base = {k: v for k, v in typed.items() if k != "status"}
    context = {
        "typed": typed,
        "payers": payers,
        "found": found,
        "error": error,
        "labels": STATUS_LABELS,
        "tab_query": lambda status: _query(base, status=status),
        "page_query": lambda n: _query(typed, page=n),
    }
    return render(request, "billing/claims_search.html", context, status_code=422 if error else 200)
