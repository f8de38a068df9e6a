"""Job kinds for the clearinghouse exchange over a folder drop (``outbox/``, ``inbox/``).

``exchange.submit`` re-scrubs the clinic's approved claims, writes one 837P per payer, records the
files "to send" and marks the claims submitted in one transaction, commits, then sends each file
and marks it sent (the submission outbox: :mod:`otbill.services.exchange.outbox`). Idempotent: a
submitted claim is no longer approved, so a run after the end writes nothing; a retry after a
kill sends only the files not marked sent (the one in flight again, byte for byte: same name,
same ISA13). Result: ``files`` written, ``submitted`` claim numbers, ``refused`` (number: why),
``sent`` (every file sent by this run, earlier runs' leftovers included), and ``not_sent`` (why
sending stopped, in words) when the transport failed: the files wait in the outbox for the next
run, as :func:`otbill.services.claims.submit.submit_and_send` says it.

``exchange.fetch`` takes the answers waiting in the inbox: 999s first, then 277CAs, each applied
in its own transaction (:func:`apply_acknowledgement`, remembered by SHA-256) and then archived;
each 835 becomes its own ``remittances.post`` job (keyed by the file's SHA-256, as an upload of
the same file is) and is archived once queued. Idempotent: a retry finds only what is still in the
inbox; an answer applied but not yet archived is "already applied", an 835 already queued gives
back its job. A file that cannot be read or applied stays in the inbox, named in the result.

Arguments of both: ``folder`` (the clinic's folder drop) and ``today``. A host with its own
transport gives it in the job's context instead (``submit_transport``, ``fetch_transport``: the
web app's clearinghouse); a fetch that cannot reach the clearinghouse fails, saying so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from otbill import clock
from otbill.clearinghouse import FolderTransport
from otbill.clearinghouse.transport import EdiFile, Transport, TransportError
from otbill.errors import OtbillError
from otbill.services.claims.submit import write_batch
from otbill.services.exchange.acknowledgements import apply_acknowledgement
from otbill.services.exchange.files import file_digest
from otbill.services.exchange.outbox import send_outbox
from otbill.services.exchange.receive import kind_of
from otbill.services.jobs import posting
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.services.jobs.queue import JobRunner, queue_job
from otbill.services.jobs.runners import runner_for
from otbill.storage import Database
from otbill.x12.findings import X12Error

__all__ = ["FETCH", "SUBMIT", "exchange_arguments"]

SUBMIT, FETCH = "exchange.submit", "exchange.fetch"
_ORDER = {"999": 0, "277CA": 1, "835": 2}


def exchange_arguments(folder: Path, today: dt.date) -> dict[str, Any]:
    return {"folder": str(folder), "today": today.isoformat()}


def _transport(job: RunningJob, name: str = "submit_transport") -> Transport:
    """The host's transport when it gives one (``submit_transport``, ``fetch_transport``), else
    the folder drop."""
    given: Transport | None = job.context.get(name)
    return given if given is not None else FolderTransport(Path(job.arguments["folder"]))


@job_kind(SUBMIT, "claims sent to the clearinghouse")
def send_approved(db: Database, job: RunningJob) -> dict[str, Any]:
    today = dt.date.fromisoformat(job.arguments["today"])
    wiring = job.context["wiring"]
    job.progress(0, 0, "checking the approved claims and writing the files")
    with clock.as_of(today), db.unit_of_work(job.clinic_id, job.actor) as uow:  # 837P dated today
        report, _files = write_batch(uow, wiring.scrub_context(today), wiring.rules, outbox=True)
        to_send = [file.name for file in uow.exchange.outbox()]
    try:
        sent = send_outbox(db, job.clinic_id, job.actor, _transport(job), job.progress)
    except (OtbillError, OSError) as error:
        # The claims are submitted and their files recorded: a clearinghouse that is down is
        # told in the result (the files wait in the outbox for the next run), not a failed job
        # that would hide what was written.
        return {**report.as_json(), **_not_sent(db, job, to_send, error)}
    job.progress(len(sent), len(sent))
    return {**report.as_json(), "sent": sent}


def _not_sent(
    db: Database, job: RunningJob, to_send: list[str], error: Exception
) -> dict[str, Any]:
    """``sent`` (the files the transport took before it failed) and ``not_sent`` in words."""
    with db.unit_of_work(job.clinic_id, job.actor) as uow:
        waiting = {file.name for file in uow.exchange.outbox()}
    why = str(error) or type(error).__name__
    return {"sent": [name for name in to_send if name not in waiting],
            "not_sent": f"{len(waiting)} file(s) not sent ({why})"}  # fmt: skip


def _by_kind(files: list[EdiFile]) -> tuple[list[tuple[EdiFile, str]], list[list[str]]]:
    """The readable files in the order they apply, and the unreadable ones ([name, why])."""
    typed, unreadable = [], []
    for f in files:
        try:
            typed.append((f, kind_of(f.data)))
        except X12Error as exc:
            unreadable.append([f.name, f"{f.name}: {exc}"])
    typed.sort(key=lambda item: (_ORDER[item[1]], item[0].name))
    return typed, unreadable


def _runner(db: Database, job: RunningJob) -> JobRunner:
    """Where the 835 postings go: the host's runner when it gives one, else the usual one."""
    given: JobRunner | None = job.context.get("job_runner")
    return given or runner_for(db, job.context)


@job_kind(FETCH, "answers fetched from the clearinghouse")
def fetch_answers(db: Database, job: RunningJob) -> dict[str, Any]:
    today = dt.date.fromisoformat(job.arguments["today"])
    transport = _transport(job, "fetch_transport")
    try:
        waiting = transport.fetch()
    except OSError as error:  # an unreachable clearinghouse, in words (not "an unexpected error")
        raise TransportError(f"could not reach the clearinghouse: {error}") from error
    files, refused = _by_kind(waiting)
    applied: list[list[str]] = []
    postings: list[list[Any]] = []
    for n, (f, kind) in enumerate(files, start=1):
        try:
            if kind == "835":
                arguments = posting.posting_arguments(f.name, f.data, today)
                queued = queue_job(db, _runner(db, job), job.clinic_id, job.actor, posting.KIND,
                                   arguments, file_digest(f.data))  # fmt: skip
                postings.append([f.name, queued.id])
            else:
                ack = apply_acknowledgement(db, job.clinic_id, job.actor, f.data, name=f.name)
                applied.append([f.name, kind, ack.summary().splitlines()[0]])
        except OtbillError as exc:
            refused.append([f.name, str(exc)])
            continue
        transport.archive(f.name)
        job.progress(n, len(files))
    return {"acknowledgements": applied, "postings": postings, "refused": refused}
