"""Helpers every command shares: one-line errors with exit status 2, option parsing, the
options of the database commands. Kept light: every command imports it."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, NoReturn

import typer

__all__ = ["AsJson", "Clinic", "DatabaseUrl", "fail", "parse_date"]

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Database URL (default: OTBILL_DATABASE_URL or the "
        "SQLite file in the data directory).",
    ),
]
Clinic = Annotated[
    str | None, typer.Option("--clinic", help="Clinic code (default: the only clinic, else DEMO).")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def fail(message: str) -> NoReturn:
    """Bad input: one line on stderr and exit status 2."""
    sys.stderr.write(f"otbill: error: {message}\n")
    raise typer.Exit(2)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r}: expected a date as YYYY-MM-DD")
