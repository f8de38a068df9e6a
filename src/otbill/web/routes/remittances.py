"""Remittances: the 835s posted, uploading one, fetching from the clearinghouse, one in detail.

Posting goes through the services (``check_remittance`` and ``post_checked``) for the logged-in
user's clinic. A file that must not post (unreadable, a balancing break, another payee)
re-renders the page with the error naming the segment; nothing is posted. An upload that may
post is posted as a job (:mod:`otbill.web.posting_jobs`), never on the event loop: the upload
answers at once with a redirect to the job's page, which shows the progress (polled by htmx, or
refreshed without it) and then what was posted. Fetching from the clearinghouse is a job too
(:mod:`otbill.web.fetch_jobs`): its page says per file what happened and links each 835's posting.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.remittances.post import PostingReport, check_remittance
from otbill.services.remittances.provider_adjustments import post_provider_adjustment
from otbill.services.views.remittance_deposit import deposit_check
from otbill.services.views.remittances import list_remittances, remittance_detail
from otbill.web.app import render, today
from otbill.web.fetch_jobs import fetch_jobs
from otbill.web.posting_jobs import posting_jobs
from otbill.web.routes.queues import clearinghouse_folder
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor"))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]
MAX_UPLOAD = 20 * 1024 * 1024  # an 835 of thousands of claims is a few MB


def _list_page(
    request: Request,
    user: SessionUser,
    *,
    page: int = 1,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        listing = list_remittances(uow, page)
    context = {"listing": listing, "flash": request.session.pop("flash", None), **extra}
    return render(request, "remittances/index.html", context, status_code=status_code)


@router.get("/remittances")
def remittances(request: Request, user: Reader, page: int = 1) -> Response:
    return _list_page(request, user, page=page)


async def _read(upload: UploadFile | None) -> tuple[str, bytes]:
    if upload is None or not upload.filename:
        raise OtbillError("choose an 835 file to upload")
    data = await upload.read(MAX_UPLOAD + 1)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    if len(data) > MAX_UPLOAD:
        raise OtbillError(f"{name}: larger than {MAX_UPLOAD // (1024 * 1024)} MB; not posted")
    if not data.strip():
        raise OtbillError(f"{name}: the file is empty; nothing posted")
    return name, data


@router.post("/remittances/upload")
async def upload(
    request: Request, user: Biller, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """Check an uploaded 835, then post it in a worker thread and show its progress page."""
    db = request.app.state.db
    try:
        name, data = await _read(file)
        checked = await run_in_threadpool(check_remittance, db, user.clinic_id, user.id, data, name)
    except OtbillError as error:
        return await run_in_threadpool(_list_page, request, user, status_code=422, error=str(error))
    if checked.already_posted:
        report = PostingReport(name, already_posted=True)
        return await run_in_threadpool(_list_page, request, user, posting=report)
    job = posting_jobs(request.app.state).start(
        user.clinic_id, user.id, checked, data, today(request)
    )
    return RedirectResponse(f"/remittances/jobs/{job.id}", status_code=303)


@router.get("/remittances/jobs/{job_id}")
def posting_job(request: Request, user: Biller, job_id: str, part: str = "") -> Response:
    """The upload's progress page (``part=progress``: the part htmx polls)."""
    job = posting_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no posting {job_id} in this clinic")
    template = "remittances/_job.html" if part == "progress" else "remittances/job.html"
    return render(request, template, {"job": job})


@router.post("/remittances/fetch")
def fetch(request: Request, user: Biller) -> Response:
    """Queue fetching every file waiting at the clearinghouse (999, 277CA, then 835) and answer
    at once with the fetch's page: nothing is fetched or posted inside the request."""
    job = fetch_jobs(request.app.state).start(
        user.clinic_id, user.id, clearinghouse_folder(request), today(request)
    )
    return RedirectResponse(f"/remittances/fetch/jobs/{job.id}", status_code=303)


@router.get("/remittances/fetch/jobs/{job_id}")
def fetch_job(request: Request, user: Biller, job_id: str, part: str = "") -> Response:
    """The fetch's page (``part=progress``: the part htmx polls): per file what happened, and
    the 835 postings it queued, until they are done too."""
    jobs = fetch_jobs(request.app.state)
    job = jobs.get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no fetch {job_id} in this clinic")
    postings = jobs.postings(job, user.clinic_id)
    context = {"job": job, "files": job.files(postings),
               "posting": any(not p.finished for p in postings.values())}  # fmt: skip
    template = "remittances/_fetch_job.html" if part == "progress" else "remittances/fetch_job.html"
    return render(request, template, context)


@router.get("/remittances/{remittance_id:int}")
def remittance(request: Request, user: Reader, remittance_id: int) -> Response:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            detail = remittance_detail(uow, remittance_id, today(request))
            deposit = deposit_check(uow, remittance_id)
    except NotFound:
        raise HTTPException(404, f"remittance {remittance_id} is not in this clinic") from None
    context = {"detail": detail, "deposit": deposit, "flash": request.session.pop("flash", None)}
    return render(request, "remittances/detail.html", context)


@router.post("/remittances/{remittance_id:int}/adjustments/{item_id:int}/post")
def post_adjustment(request: Request, user: Biller, remittance_id: int, item_id: int) -> Response:
    """Post a provider-level adjustment (PLB) the biller has checked to the ledger."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            amount = post_provider_adjustment(uow, item_id, today(request))
    except NotFound:
        raise HTTPException(404, f"work item {item_id} is not in this clinic") from None
    except OtbillError as error:
        request.session["flash"] = {"kind": "error", "text": f"Nothing posted: {error}"}
    else:
        text = f"Provider-level adjustment of {amount:,.2f} posted to the ledger."
        request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse(f"/remittances/{remittance_id}#deposit", status_code=303)
