"""Helpers every command shares: one-line errors with exit status 2, option parsing."""

from __future__ import annotations

import datetime as dt
import sys
from typing import NoReturn

import typer

__all__ = ["fail", "parse_date"]


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
