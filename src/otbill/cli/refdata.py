"""``otbill refdata``: import CMS reference files and list what is imported.

Thin by design (ARCHITECTURE.md, interfaces layer): parse options, call
:func:`otbill.refdata.store.import_file`, render. Exit code 2 with one stderr line for a file
that cannot be imported, so scripts can tell bad input from a crash.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from otbill.cli.common import fail
from otbill.cli.setup import setup_of
from otbill.errors import ConfigError
from otbill.refdata.store import import_file, list_imported

__all__ = ["Kind", "app"]

app = typer.Typer(
    help="CMS reference tables: NCCI PTP, MUE, PFS RVU and GPCI.", no_args_is_help=True
)


class Kind(enum.StrEnum):
    """Kinds of CMS file the store understands."""

    NCCI_PTP = "ncci-ptp"
    MUE = "mue"
    RVU = "rvu"
    GPCI = "gpci"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@app.command("import")
def import_command(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="Which CMS table the file holds.")],
    file: Annotated[Path, typer.Argument(help="The CMS file, in CMS's own layout.")],
    effective: Annotated[
        str | None, typer.Option(help="First date of service it applies to (YYYY-MM-DD).")
    ] = None,
    release: Annotated[str | None, typer.Option(help="Release name, e.g. v30.1 or RVU25D.")] = None,
) -> None:
    """Import a CMS file (release and effective date inferred from CMS's file name if omitted)."""
    start = _parse_date(effective)
    err = Console(stderr=True)
    dest_dir = setup_of(ctx).settings.refdata_dir
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task(f"reading {file.name}", total=None)

            def report(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = import_file(
                kind.value,
                file,
                effective=start,
                release=release,
                dest_dir=dest_dir,
                progress=report,
            )
    except ConfigError as exc:  # RefdataFormatError is a ConfigError
        fail(str(exc))
    typer.echo(result.message)


@app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List imported tables by kind, effective date and release."""
    tables = list_imported([setup_of(ctx).settings.refdata_dir])
    if not tables:
        typer.echo(
            "no reference tables imported; the curated OT subsets shipped with otbill are used "
            "(NCCI PTP v30.1, MUE 2024-07-01, PFS RVUs 2025 and 2026)"
        )
        return
    table = Table("kind", "effective", "release", "rows", "source")
    for item in tables:
        table.add_row(
            item.kind, item.effective.isoformat(), item.release, str(item.rows), item.source
        )
    Console(width=120).print(table)
