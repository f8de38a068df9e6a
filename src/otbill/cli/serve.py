"""``otbill serve``: the web app on an embedded SQLite database (or the one given)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from otbill.cli.common import fail, parse_date
from otbill.settings import load_settings

__all__ = ["serve_command"]


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    database_url: Annotated[
        str | None, typer.Option(help="database URL (default: SQLite in the data dir)")
    ] = None,
    today: Annotated[str | None, typer.Option(help="pretend today is this date (demos)")] = None,
    demo: Annotated[bool, typer.Option(help="load the demo clinic into an empty database")] = True,
) -> None:
    """Serve the web app. On an empty database: migrate, load the demo clinic, print its users."""
    import dataclasses

    import uvicorn

    from otbill.rules.registry import load_rules
    from otbill.services.demo import load_demo
    from otbill.services.demo_data import demo_logins
    from otbill.services.scrub import build_scrub_context
    from otbill.storage import Database
    from otbill.web.app import create_app

    settings = load_settings()
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fixed = parse_date(today, "--today")
    try:
        db = Database(settings.database_url)
    except Exception as exc:  # a bad URL or an unreachable server: one line, exit 2
        fail(f"cannot open the database: {type(exc).__name__}: {exc}")
    if demo:
        report = load_demo(
            db, build_scrub_context(settings, fixed or dt.date.today()), load_rules()
        )
        if report.created:
            typer.echo("Loaded the demo clinic (clinic code DEMO).")
    typer.echo(f"otbill is serving at http://{host}:{port}/  (database: {db.backend})")
    if demo:
        typer.echo("Demo users (clinic DEMO):")
        for username, password, roles in demo_logins():
            typer.echo(f"  {username:<10} password {password:<16} roles: {', '.join(roles)}")
    uvicorn.run(
        create_app(settings, database=db, today=fixed), host=host, port=port, log_level="warning"
    )
