"""The billers' and approvers' work queues, and batch submission of approved claims.

Every page is one queue tab: counts on each tab, a filter form (payer, therapist, dates of service,
and rule on the held queue), 50 claims a page. With HTMX the filter form swaps the page in place.
"Submit batch" on the approved queue queues a job (:mod:`otbill.web.submit_jobs`) and shows its
page; the same button sends the files an earlier submission left in the outbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.clearinghouse.transport import FolderTransport, Transport
from otbill.services.claims.bulk_approval import approve_batch
from otbill.services.views import approval as approval_view
from otbill.services.views import work_queues as wq
from otbill.web.app import render, today
from otbill.web.params import whole_number
from otbill.web.security import SessionUser, require_roles
from otbill.web.submit_jobs import submit_jobs

router = APIRouter()

READERS = ("biller", "approver", "auditor")
LABELS = {
    "held": "Held",
    "ready": "Ready for approval",
    "approved": "Approved, to send",
    "submitted": "Submitted",
    "rejected": "Rejected",
    "denied": "Denied",
    wq.UNMATCHED: "Unmatched remittances",
}
HELP = {
    "held": "The scrubber found errors on these claims. Fix them, then re-scrub.",
    "ready": (
        "Scrubbed clean and waiting for an approver: not the person who built a claim nor anyone "
        "who changed it. An approver ticks the claims they may approve, or approves a page at once."
    ),
    "approved": "Approved and waiting to be sent to the clearinghouse.",
    "submitted": "Sent; waiting for the payer's acknowledgement or payment.",
    "rejected": "Returned by the clearinghouse or payer (999/277CA); correct and send again.",
    "denied": "The payer's remittance denied these claims.",
    wq.UNMATCHED: "Remittance or acknowledgement entries that match none of our claims.",
}
_ALIASES = {"awaiting-approval": "ready"}
Reader = Annotated[SessionUser, Depends(require_roles(*READERS))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: Request, tab: str) -> wq.QueueFilter:
    q = request.query_params
    rule = (q.get("rule") or "").strip().upper() or None
    return wq.QueueFilter(
        payer_id=whole_number(q.get("payer"), "payer"),
        provider_id=whole_number(q.get("therapist"), "therapist"),
        date_from=_date(q.get("date_from") or q.get("from")),
        date_to=_date(q.get("date_to") or q.get("to")),
        rule=rule if tab == "held" else None,
    )


def _query(f: wq.QueueFilter, page: int | None = None) -> str:
    pairs = {
        "payer": f.payer_id,
        "therapist": f.provider_id,
        "date_from": f.date_from,
        "date_to": f.date_to,
        "rule": f.rule,
        "page": page,
    }
    return "&".join(f"{k}={v}" for k, v in pairs.items() if v is not None)


def _queue_context(request: Request, user: SessionUser, tab: str, page: int) -> dict[str, Any]:
    f = _filters(request, tab)
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        cache = request.app.state.queue_cache
        head, counts = wq.queue_counts(uow, cache)  # head: the cache's stamp for this page
        if tab not in counts:
            raise HTTPException(404, f"there is no queue named {tab!r}")
        held = tab == "held"
        groups = wq.held_rule_groups(uow, f, counts["held"], cache, head) if held else []
        listing = wq.list_queue(uow, tab, f, page, counts, groups if held else None)
        if tab == "ready":  # findings, and who may approve each claim (the bulk approval form)
            approval_view.queue_approvals(uow, listing.rows)
        # files an earlier submission left unsent: the Submit button sends them, claims or not
        waiting = uow.exchange.outbox_count() if tab == "approved" else 0
        options = wq.filter_options(uow, cache, head)
    return {
        "tab": tab,
        "tabs": [(name, LABELS[name], n) for name, n in counts.items()],
        "help": HELP[tab],
        "listing": listing,
        "groups": groups,
        "filters": f,
        "options": options,
        "query": _query(f),
        "page_query": lambda p: _query(f, p),
        "rule_query": lambda code: _query(dataclasses.replace(f, rule=code)),
        "flash": request.session.pop("flash", None),
        "approved": counts["approved"],
        "waiting": waiting,
    }


@router.get("/queues")
def queues(request: Request, user: Reader, page: int = 1) -> Response:
    return queue(request, user, "held", page)


@router.get("/queues/{name}")
def queue(request: Request, user: Reader, name: str, page: int = 1) -> Response:
    tab = _ALIASES.get(name, name)
    context = _queue_context(request, user, tab, page)
    context["landing"] = name == "awaiting-approval"
    return render(request, "billing/queues.html", context)


def clearinghouse_folder(request: Request) -> Path:
    """The folder drop the simulator serves (under the data directory)."""
    folder: Path = request.app.state.settings.data_dir / "clearinghouse"
    return folder


def clearinghouse(request: Request) -> Transport:
    """The app's transport (``app.state.transport``), else the folder the simulator serves.
    The submission job finds the same: ``app.state.transport`` is its ``submit_transport``."""
    transport: Transport | None = getattr(request.app.state, "transport", None)
    if transport is not None:
        return transport
    return FolderTransport(clearinghouse_folder(request))


@router.post("/queues/submit")
def submit(request: Request, user: Biller) -> Response:
    """Queue the submission of every approved claim that still scrubs clean (one 837P file per
    payer, through the submission outbox; files an earlier Submit left unsent go first) and
    answer at once with the job's page: the sending never runs inside the request."""
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        approved = wq.queue_counts(uow, request.app.state.queue_cache)[1]["approved"]
        waiting = uow.exchange.outbox_count()
    if not approved and not waiting:
        text = "Nothing to send: no claim is approved and no file waits in the outbox."
        request.session["flash"] = {"kind": "ok", "text": text}
        return RedirectResponse("/queues/approved", status_code=303)
    job = submit_jobs(request.app.state).start(
        user.clinic_id, user.id, clearinghouse_folder(request), today(request)
    )
    return RedirectResponse(f"/queues/submit/jobs/{job.id}", status_code=303)


@router.get("/queues/submit/jobs/{job_id}")
def submit_job(request: Request, user: Biller, job_id: str, part: str = "") -> Response:
    """The submission's progress page (``part=progress``: the part htmx polls), then its summary."""
    job = submit_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no submission {job_id} in this clinic")
    template = "billing/_submit_job.html" if part == "progress" else "billing/submit_job.html"
    return render(request, template, {"job": job})


def _claim_ids(values: list[str]) -> list[int]:
    """The ticked claims' ids; anything that is no row id (not plain digits, or too long for a
    64-bit id) cannot be a claim of this clinic and is left out, to be counted as not found."""
    return [int(v) if v.isascii() and v.isdigit() and len(v) <= 18 else 0 for v in values]


@router.post("/queues/ready/approve")
@router.post("/queues/awaiting-approval/approve")
def approve_selected(
    request: Request,
    user: Annotated[SessionUser, Depends(require_roles("approver"))],
    claim: Annotated[list[str] | None, Form()] = None,
    page_claim: Annotated[list[str] | None, Form()] = None,
    scope: Annotated[str, Form()] = "selected",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Approve the ticked claims (or every claim on the page the user may approve), each on its
    own: those the user may not approve are refused with the reason in names, the rest approved."""
    chosen = _claim_ids((page_claim if scope == "page" else claim) or [])
    # back to the same filters and page; rebuilt from its pairs, so it only ever names this queue
    query = urlencode(parse_qsl(back))
    to = RedirectResponse("/queues/awaiting-approval" + (f"?{query}" if query else ""), 303)
    if not chosen:
        request.session["flash"] = {"kind": "error", "text": "Tick at least one claim to approve."}
        return to
    db = request.app.state.db
    done = approve_batch(lambda: db.unit_of_work(user.clinic_id, user.id), chosen, today(request))
    kind = "ok" if not done.refused else ("warn" if done.approved else "error")
    request.session["flash"] = {"kind": kind, "text": done.summary()}
    return to
