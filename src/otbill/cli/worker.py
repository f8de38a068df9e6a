"""``otbill worker``: run the PostgreSQL job queue's jobs (postings, statement runs, questions
to payers, claim batches) until stopped.

Why a separate process: on PostgreSQL the web processes only queue jobs; any number of workers,
on this machine or others, take them (procrastinate, :mod:`otbill.services.jobs.worker`). A
worker stopped with SIGINT or SIGTERM lets its running jobs finish; one killed outright leaves
its jobs to the other workers, which take them again once its heartbeat stops. On SQLite there is
nothing to run here: the web process runs its own jobs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from otbill.cli.common import fail
from otbill.cli.setup import setup_of

__all__ = ["worker_command"]


def worker_command(
    ctx: typer.Context,
    concurrency: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            envvar="OTBILL_WORKER_CONCURRENCY",
            help="jobs this worker runs at the same time",
        ),
    ] = 1,
    stalled_after: Annotated[
        float,
        typer.Option(
            min=1.0,
            help="seconds without a heartbeat after which another worker's jobs are taken again",
        ),
    ] = 30.0,
    database_url: Annotated[
        str | None, typer.Option(help="database URL (default: OTBILL_DATABASE_URL)")
    ] = None,
) -> None:
    """Run queued jobs from the PostgreSQL database until stopped (Ctrl-C, SIGTERM)."""
    import logging

    from otbill.services.jobs import known_kinds
    from otbill.services.jobs.worker import run_worker

    setup = setup_of(ctx)
    db = setup.database(database_url)
    if db.backend != "postgresql":
        fail(
            f"the job queue needs PostgreSQL; {db.backend} runs its jobs inside `otbill serve` "
            "(set OTBILL_DATABASE_URL to a postgresql+psycopg:// URL)"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    typer.echo(f"otbill worker: {concurrency} at a time; job kinds: {', '.join(known_kinds())}")
    run_worker(db, {"wiring": setup.wiring}, concurrency=concurrency, stalled_after=stalled_after)
