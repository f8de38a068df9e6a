"""``otbill serve``: the web app on an embedded SQLite database (or the one given)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from typing import Annotated

import typer

from otbill.cli.common import fail, parse_date
from otbill.cli.setup import setup_of
from otbill.settings import Settings

__all__ = ["serve_command"]


def _clinic_codes(db: object) -> list[str]:
    from otbill.services.clinic.clinics import list_clinics
    from otbill.storage import Database

    assert isinstance(db, Database)
    return [clinic.code for clinic in list_clinics(db)]


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    database_url: Annotated[
        str | None, typer.Option(help="database URL (default: SQLite in the data dir)")
    ] = None,
    today: Annotated[str | None, typer.Option(help="pretend today is this date")] = None,
    demo: Annotated[bool, typer.Option(help="load the demo clinic into an empty database")] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1, envvar="OTBILL_WORKERS", help="web processes (more than 1 needs PostgreSQL)"
        ),
    ] = 1,
) -> None:
    """Serve the web app. On an empty database: migrate, load the demo clinic, print its users
    (with ``--no-demo``: the first-run page at /setup creates the clinic and its admin).

    While the demo clinic is the only clinic, the app runs as of the demo's date (its visits are
    January to March 2025), so filing limits and plans of care read as they would that day;
    ``--today`` overrides it.

    ``--workers N`` starts N processes (uvicorn's), each building the app from the environment
    (:mod:`otbill.web.factory`); the database is migrated once, here, before they start.
    """
    import uvicorn

    from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
    from otbill.cli.check import sqlite_workers_problem
    from otbill.demo.data import CLINIC, DEMO_AS_OF, demo_logins
    from otbill.demo.load import load_demo
    from otbill.web.app import create_app
    from otbill.web.first_run import new_first_run_code

    setup = setup_of(ctx)
    settings = setup.settings
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    refused = sqlite_workers_problem(settings.database_url, workers)
    if refused:
        fail(f"--workers {workers} refused: {refused}; use PostgreSQL or --workers 1")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fixed = parse_date(today, "--today") or settings.today  # OTBILL_TODAY: the run's day
    db = setup.database(settings.database_url)
    wiring = setup.wiring
    codes = _clinic_codes(db)
    if demo and not codes:
        load_demo(db, wiring.scrub_context(fixed or DEMO_AS_OF), list(wiring.rules))
        typer.echo(f"Loaded the demo clinic (clinic code {CLINIC['code']}).")
        codes = [str(CLINIC["code"])]
    only_demo = codes == [CLINIC["code"]]
    if only_demo and fixed is None:
        fixed = DEMO_AS_OF
        typer.echo(f"The demo runs as of {DEMO_AS_OF.isoformat()} (--today changes it).")
    typer.echo(f"otbill is serving at http://{host}:{port}/  (database: {db.backend})")
    setup_code = new_first_run_code()
    if not codes:
        typer.echo(f"No clinic yet: open http://{host}:{port}/setup?code={setup_code} to create it "
                   "and its admin (the code keeps others on the network from doing it first).")  # fmt: skip
    if only_demo:
        typer.echo(f"Demo users (clinic {CLINIC['code']}):")
        for username, password, roles in demo_logins():
            typer.echo(f"  {username:<10} password {password:<16} roles: {', '.join(roles)}")
    if workers > 1:
        _serve_workers(settings, host, port, workers, fixed, setup_code)
        return
    app = create_app(settings, database=db, today=fixed, wiring=wiring)
    app.state.first_run_code = setup_code
    with contextlib.ExitStack() as running:
        if only_demo:  # the demo's clearinghouse answers at once, so the whole cycle runs offline
            app.state.transport = SimulatedClearinghouse(settings.data_dir / "clearinghouse")
            typer.echo("Clearinghouse: the offline simulator (answers 999, 277CA and 835 at once).")
            url = running.enter_context(_real_time_payers(app))
            typer.echo(f"Payers (270/271, 276/277, 278): the simulator over CAQH CORE at {url}")
        uvicorn.run(
            app, host=host, port=port, log_level="warning", forwarded_allow_ips=_forwarded(settings)
        )


def _forwarded(settings: Settings) -> str | None:
    """Whose X-Forwarded-For/-Proto uvicorn believes: the trusted proxies (None: its default,
    loopback)."""
    return ",".join(settings.trusted_proxies) or None


def _serve_workers(
    settings: Settings, host: str, port: int, workers: int, fixed: dt.date | None, code: str
) -> None:
    """N processes on one PostgreSQL database; what this process decided goes by environment."""
    import uvicorn

    from otbill.web.app import secret_key
    from otbill.web.factory import FIRST_RUN_CODE_ENV

    secret_key(settings)  # made once here when missing, not by N processes at once
    os.environ["OTBILL_DATA_DIR"] = str(settings.data_dir)
    os.environ["OTBILL_DATABASE_URL"] = settings.database_url
    os.environ[FIRST_RUN_CODE_ENV] = code
    if fixed is not None:
        os.environ["OTBILL_TODAY"] = fixed.isoformat()
    typer.echo(f"{workers} web processes. The offline clearinghouse and payer simulators run "
               "only with one process (--workers 1); here the configured transports are used.")  # fmt: skip
    uvicorn.run(
        "otbill.web.factory:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        forwarded_allow_ips=_forwarded(settings),
    )


@contextlib.contextmanager
def _real_time_payers(app: object) -> Iterator[str]:
    """Serve the payer simulator on loopback and point the app's real-time exchanges at it.

    Why over HTTP and not in-process: the demo then sends what a clinic's clearinghouse would get
    (CORE MIME multipart, retries, PayloadIDs), so trying the demo tries the real transport.
    """
    from otbill.clearinghouse.core_http import CoreHttpTransport
    from otbill.clearinghouse.simulator.servers import serve_payers

    with serve_payers() as simulator:
        state = app.state  # type: ignore[attr-defined]
        for name, transaction in (("eligibility_transport", "270"),
                                  ("claim_status_transport", "276"),
                                  ("prior_auth_transport", "278")):  # fmt: skip
            line = CoreHttpTransport(simulator.core_url, "OTBILL", "SIMULATOR",
                                     transaction=transaction)  # fmt: skip
            setattr(state, name, line)
        yield simulator.core_url
