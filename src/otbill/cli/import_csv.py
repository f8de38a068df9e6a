"""``otbill import KIND FILE.csv``: bring patients, coverages, providers, opening balances and
appointments over from the old system (columns in docs/import.md, templates in docs/import/).

Exit status: 0 when every row imported (or was imported before), 1 when rows were refused (each
named by row and column), 2 for bad usage (unknown kind, unreadable file, missing columns).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from otbill.cli.acting import acting_in
from otbill.cli.common import Clinic, DatabaseUrl, fail
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.services.frontdesk.csv_import import ImportReport

__all__ = ["import_command"]

#: Above this many rows the import shows a progress bar (it takes a second or more).
PROGRESS_FROM_ROWS = 2_000
_SHOWN_PROBLEMS = 200
_MAX_BYTES = 200 * 1024 * 1024


def _read(path: Path, kind: str) -> tuple[list[dict[str, str]], str]:
    """The file's rows as dicts by column, and its SHA-256; bad files are one line, exit 2."""
    from otbill.domain.record_errors import RecordError
    from otbill.services.frontdesk.csv_import import check_header, digest_of

    try:
        if path.stat().st_size > _MAX_BYTES:
            fail(f"FILE {path}: larger than {_MAX_BYTES // 1024 // 1024} MB; split it")
        content = path.read_bytes()
        text = content.decode("utf-8-sig")
    except OSError as exc:
        fail(f"FILE {path}: cannot read it ({exc.strerror or exc})")
    except UnicodeDecodeError:
        fail(f"FILE {path}: not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        check_header(kind, [name.strip() for name in reader.fieldnames or []])
        rows = [{(k or "").strip(): v or "" for k, v in row.items()} for row in reader]
    except (RecordError, csv.Error) as exc:
        fail(f"FILE {path}: {exc}")
    return rows, digest_of(content)


def _print_report(report: ImportReport, path: Path) -> None:
    for problem in report.refused[:_SHOWN_PROBLEMS]:
        print(f"{path.name}: {problem}")
    if len(report.refused) > _SHOWN_PROBLEMS:
        print(f"... and {len(report.refused) - _SHOWN_PROBLEMS} more refused rows")
    done = f"{report.imported} imported, {report.unchanged} imported before"
    summary = f"{report.kind}: {report.rows} rows read, {done}, {len(report.refused)} refused"
    if report.dry_run:
        summary += " (dry run: nothing was written)"
    elif not report.written:
        summary += " (nothing was written; fix the rows or use --skip-bad-rows)"
    print(summary)


def import_command(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help="patients, coverages, providers, balances or appointments.")
    ],
    file: Annotated[Path, typer.Argument(help="The CSV file (UTF-8, a header row).")],
    user: Annotated[str, typer.Option("--user", help="Who imports (username; audited).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; write nothing.")
    ] = False,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows; list the bad.")
    ] = False,
    old_system: Annotated[
        str, typer.Option(help="The old system's name; its IDs are kept under it.")
    ] = "legacy",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Import a CSV export of the old system; nothing is written if any row is refused."""
    from otbill.errors import OtbillError
    from otbill.services.frontdesk.csv_import import KINDS, import_rows

    if kind not in KINDS:
        fail(f"KIND {kind!r}: one of {', '.join(KINDS)}")
    if not old_system.strip() or len(old_system) > 40:
        fail(f"--old-system {old_system!r}: 1 to 40 characters")
    rows, digest = _read(file, kind)
    setup = setup_of(ctx)
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    try:
        with _progress(len(rows)) as advance:
            report = import_rows(
                db, clinic_id, actor, kind, rows, digest=digest, old_system=old_system.strip(),
                profiles=setup.profiles(), dry_run=dry_run, skip_bad_rows=skip_bad_rows,
                progress=advance,
            )  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    _print_report(report, file)
    if report.refused:
        raise typer.Exit(1)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr for imports of :data:`PROGRESS_FROM_ROWS` rows or more."""
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True,
                   disable=total < PROGRESS_FROM_ROWS)  # fmt: skip
    task = bar.add_task("importing", total=total)
    with bar:
        yield lambda n: bar.advance(task, n)
