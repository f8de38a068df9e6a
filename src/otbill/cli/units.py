"""``otbill units``: billing units for one patient's date of service."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from otbill import units as units_engine
from otbill.cli.common import fail, parse_date
from otbill.codes import cpt
from otbill.errors import CodeError, UnitsError
from otbill.units_explain import explain

__all__ = ["units_command"]


def parse_segment(argument: str) -> tuple[str, int]:
    """``97110=38`` → ("97110", 38); minutes must be a whole number of 0 or more."""
    code, sep, minutes = argument.partition("=")
    if not sep or not code.strip():
        fail(f"argument {argument!r}: expected CODE=MINUTES, e.g. 97110=38")
    text = minutes.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):  # "²" passes isdigit
        fail(f"argument {argument!r}: minutes must be a whole number, got {minutes!r}")
    if int(text) < 0:
        fail(f"argument {argument!r}: minutes cannot be negative")
    return code.strip(), int(text)


def units_json(result: units_engine.UnitsResult) -> dict[str, object]:
    return {
        "method": result.method.value,
        "total_timed_minutes": result.total_timed_minutes,
        "total_units": result.total_units,
        "lines": [
            {"code": ln.code, "minutes": ln.minutes, "units": ln.units, "timed": ln.timed}
            for ln in result.lines
        ],
        "tie": result.tie,
        "explanation": explain(result),
    }


def render_units(result: units_engine.UnitsResult, console: Console) -> None:
    table = Table(title=f"Units by the {result.method.value} method")
    for column in ("Code", "Minutes", "Timed", "Units"):
        table.add_column(column, justify="left" if column == "Code" else "right")
    for ln in result.lines:
        table.add_row(ln.code, str(ln.minutes), "yes" if ln.timed else "no", str(ln.units))
    minutes, units = result.total_timed_minutes, result.total_units
    table.caption = (
        f"{minutes} timed minute{'' if minutes == 1 else 's'} → "
        f"{units} timed unit{'' if units == 1 else 's'}"
    )
    console.print(table)
    for step in explain(result):
        console.print(f"• {step}", highlight=False)


def units_command(
    segments: Annotated[list[str], typer.Argument(help="CODE=MINUTES, e.g. 97110=38 97140=9")],
    method: Annotated[str, typer.Option(help="cms (Medicare 8-minute rule) or per-code")] = "cms",
    date: Annotated[str | None, typer.Option(help="date of service, YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Billing units for one patient's date of service."""
    if method not in {m.value for m in units_engine.Method}:
        fail(f"--method {method!r}: expected cms or per-code")
    on = parse_date(date, "--date")
    parsed = [parse_segment(argument) for argument in segments]
    for argument, (code, _) in zip(segments, parsed, strict=True):
        try:
            cpt.lookup(code, on)
        except CodeError as exc:
            fail(f"argument {argument!r}: {exc}")
    try:
        result = units_engine.compute_units(parsed, method, on)
    except UnitsError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(units_json(result), indent=2, ensure_ascii=False))
    else:
        render_units(result, Console())
