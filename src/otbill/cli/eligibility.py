"""``otbill eligibility check COVERAGE_ID --date D``: ask the payer (270/271), print the benefits;
``otbill eligibility run --for-date D``: ask for every patient booked on D (the night before).

Thin: parse options, call :func:`otbill.services.exchange.eligibility.check_coverage` in one unit
of work as ``--user``, print the answer in plain words (or ``--json``). The answer is kept with the
coverage and audited. The payer is reached as :mod:`otbill.cli.transports` says: the payer simulator
in-process (the default), CAQH CORE MIME or SOAP, or a JSON-API clearinghouse (``--transport core
--url https://... --receiver ID``; the credentials come from the environment, never the command
line, where other users could read them). A failed exchange, an
unreadable 271 or a missing record is one line on stderr and exit status 2; nothing is stored.

``run`` is the batch (:mod:`otbill.services.exchange.eligibility_batch`): it starts the run for the
date (or resumes the one a kill or a crash left unfinished, asking only what has no answer yet),
shows a progress bar on stderr and prints the counts and the run's id. Inactive, not verified and
failed checks are findings for the front desk, not a crash: the exit status is 0 when it ran.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from otbill import clock
from otbill.cli.acting import User, acting_in, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of
from otbill.cli.transports import (
    ReceiverOption,
    TransportOption,
    UrlOption,
    describe,
    realtime_transport,
)

__all__ = ["app"]

app = typer.Typer(help="Eligibility over X12 270/271: ask the payer, keep the answer.",
                  no_args_is_help=True)  # fmt: skip

_DISCIPLINES = ("OT", "PT")


@app.command("check")
def check_command(
    ctx: typer.Context,
    coverage_id: Annotated[int, typer.Argument(help="The coverage's id.")],
    date: Annotated[str, typer.Option("--date", help="Date of service (YYYY-MM-DD).")],
    user: User,
    discipline: Annotated[
        list[str] | None,
        typer.Option("--discipline", help="OT (service type AD) and/or PT; default OT."),
    ] = None,
    code: Annotated[
        list[str] | None,
        typer.Option("--code", help="A procedure code to ask about (payers whose profile asks)."),
    ] = None,
    transport: TransportOption = "simulator",
    url: UrlOption = "",
    receiver: ReceiverOption = "",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Check one coverage for a date of service and print what the payer answered."""
    from otbill.services.exchange.eligibility import check_coverage

    on = parse_date(date, "--date")
    assert on is not None
    disciplines = tuple(d.strip().upper() for d in (discipline or ["OT"]))
    bad = [d for d in disciplines if d not in _DISCIPLINES]
    if bad:
        fail(f"--discipline {bad[0]!r}: OT or PT")
    channel = realtime_transport("270", transport, url, receiver)
    codes = tuple(c.strip().upper() for c in (code or []))
    for one in codes:
        if not (len(one) == 5 and one.isascii() and one.isalnum()):
            fail(f"--code {one!r}: a 5-character procedure code such as 97530")
    profiles = setup_of(ctx).profiles()
    result = write_as(
        ctx,
        (database_url, clinic, user),
        lambda uow: check_coverage(
            uow, coverage_id, on=on, today=clock.today(), transport=channel,
            profiles=profiles, disciplines=disciplines, procedure_codes=codes,
        ),
    )  # fmt: skip
    if as_json:
        print(json.dumps({"coverage_id": coverage_id, "check_id": result.check_id,
                          "active": result.summary.active, "lines": result.lines}, indent=2))  # fmt: skip
        return
    how = describe(transport, url)
    print(f"coverage {coverage_id}, eligibility check {result.check_id} ({how})")
    for line in result.lines:
        print(line)


def _bar() -> tuple[Any, Callable[[int, int], None]]:
    """A Rich progress bar on stderr (drawn only on a terminal) and its (done, total) callback."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    columns = (TextColumn("asking payers"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True, disable=not err.is_terminal)
    task = bar.add_task("asking payers", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


@app.command("run")
def run_command(
    ctx: typer.Context,
    for_date: Annotated[
        str, typer.Option("--for-date", help="The date of the visits to verify (YYYY-MM-DD).")
    ],
    user: User,
    plan_year: Annotated[
        bool,
        typer.Option(
            "--plan-year",
            help="Every patient with an active coverage seen in the 90 days before the date or "
            "with an open plan of care (the start of a plan year), not only those booked on it.",
        ),
    ] = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", help="Payer requests in flight at once (1-64).")
    ] = 8,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            help="Worker processes sharing the requests in flight (1: threads in this process; "
            "more use more CPU cores for reading the answers).",
        ),
    ] = 1,
    transport: TransportOption = "simulator",
    url: UrlOption = "",
    receiver: ReceiverOption = "",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Check eligibility for every patient booked on a date (or, with --plan-year, every active
    patient); a second run for the same date finishes the first without asking again."""
    from otbill.errors import OtbillError
    from otbill.services.exchange.eligibility_batch import BatchOptions, run_batch, start_run

    on = parse_date(for_date, "--for-date")
    assert on is not None
    if not 1 <= concurrency <= 64:
        fail(f"--concurrency {concurrency}: between 1 and 64")
    if not 1 <= processes <= min(16, concurrency):
        fail(f"--processes {processes}: between 1 and 16, and no more than --concurrency")
    if processes > 1 and transport == "simulator":
        fail(f"--processes {processes}: worker processes need a clearinghouse (--transport core, "
             "soap or json); the in-process simulator stays in one process")  # fmt: skip
    channel = realtime_transport("270", transport, url, receiver)
    profiles = setup_of(ctx).profiles()
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    today = clock.today()
    kind = "plan-year" if plan_year else "scheduled"
    bar, progress = _bar()
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            run_id = start_run(uow, on, kind, today=today)
        options = BatchOptions(concurrency=concurrency, processes=processes)
        with bar:
            run = run_batch(db, clinic_id, actor, run_id, transport=channel, profiles=profiles,
                            today=today, options=options, progress=progress)  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    counts = {"active": run.active, "inactive": run.inactive, "not verified": run.not_verified,
              "failed": run.failed}  # fmt: skip
    if as_json:
        print(json.dumps({"run_id": run.id, "for_date": on.isoformat(), "kind": kind,
                          "total": run.total, **{k.replace(" ", "_"): v for k, v in counts.items()}},
                         indent=2))  # fmt: skip
        return
    how = describe(transport, url)
    print(f"eligibility run {run.id} for {on} ({kind}, {how}): {run.total} coverage(s)")
    for name, n in counts.items():
        print(f"  {name}: {n}")
    if run.inactive or run.not_verified or run.failed:
        sys.stderr.write(f"otbill: {run.inactive + run.not_verified + run.failed} to look at: "
                         f"see the run's page /eligibility/runs/{run.id}\n")  # fmt: skip
