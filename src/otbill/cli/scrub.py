"""``otbill scrub`` and ``otbill schema``: check claims before they leave, fix what is safe.

``scrub --fix`` never writes next to the input on its own: the corrected claims go to ``--output``
when given, else to standard output, and then the report (and what was fixed) goes to standard
error, so ``otbill scrub claims.json --fix > fixed.json`` keeps standard output pure JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from otbill import clock
from otbill.cli.common import fail, parse_date
from otbill.cli.setup import setup_of
from otbill.domain.claim import Claim
from otbill.domain.claim_json import (
    ClaimFileError,
    ClaimInputError,
    claim_schema,
    dump_claims,
    parse_claims,
)
from otbill.errors import ConfigError
from otbill.rules.engine import ClaimResult
from otbill.rules.selection import select_rules
from otbill.services.claims.scrub import scrub_claims, summarize

__all__ = ["schema_command", "scrub_command"]

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _split(values: list[str] | None) -> list[str]:
    return [part for value in values or [] for part in value.split(",") if part.strip()]


def _read_claims(path: Path) -> list[Claim | ClaimInputError]:
    """otbill claim JSON, or an X12 837P (recognised by its content, not its name)."""
    from otbill.x12.findings import X12Error  # here: only files that are X12 need the reader
    from otbill.x12.scrub_input import looks_like_x12, read_837p_claims

    try:
        text = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")
    try:
        if looks_like_x12(text):
            return read_837p_claims(path)
        return parse_claims(text)
    except (ClaimFileError, X12Error) as exc:
        fail(f"{path}: {exc}")


def _render_table(
    results: Sequence[ClaimResult], summary: dict[str, object], console: Console
) -> None:
    for result in results:
        style = {"clean": "green", "review": "yellow", "held": "bold red"}[result.status]
        console.print(f"[{style}]{result.claim_id}: {result.status}[/]", highlight=False)
        if not result.findings:
            continue
        table = Table(show_header=True, header_style="bold", expand=False)
        for column in ("Rule", "Severity", "Line", "Finding", "Fix"):
            table.add_column(column, overflow="fold")
        for f in result.findings:
            table.add_row(
                f"{f.rule} {f.name}",
                f"[{_SEVERITY_STYLE[f.severity.value]}]{f.severity.value}[/]",
                "" if f.line is None else str(f.line),
                f.message,
                "" if f.fix is None else f"{f.fix.description} [{f.fix.applicability.value}]",
            )
        console.print(table)
    claims, findings = int(str(summary["claims"])), int(str(summary["findings"]))
    console.print(
        f"{_count(claims, 'claim')}: {summary['clean']} clean, {summary['review']} to review, "
        f"{summary['held']} held, {summary['invalid']} unreadable; {_count(findings, 'finding')}",
        highlight=False,
    )


def scrub_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="otbill claim JSON (one claim or a list) or an X12 837P")
    ],
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    select: Annotated[
        list[str] | None, typer.Option(help="rule code prefixes to run, e.g. MOD,UNT001")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="rule code prefixes to skip")] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="apply safe fixes and write the corrected claims")
    ] = False,
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes",
            help="with --fix (implied), also apply unsafe fixes: those that need a person's "
            "judgement or change billed units or charges",
        ),
    ] = False,
    preview: Annotated[bool, typer.Option("--preview", help="also run preview rules")] = False,
    output: Annotated[
        Path | None,
        typer.Option(help="where --fix writes the corrected claims (default: standard output)"),
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="the date to check filing limits against")
    ] = None,
    profiles: Annotated[
        list[Path] | None, typer.Option(help="extra payer profile directory")
    ] = None,
) -> None:
    """Scrub claims: exit 0 when no claim has an error, 1 when some claim does, 2 on bad input."""
    if output_format not in ("table", "json"):
        fail(f"--format {output_format!r}: expected table or json")
    on = parse_date(today, "--today") or clock.today()
    try:
        setup = setup_of(ctx)
        rules = select_rules(setup.rules(preview=preview), _split(select), _split(ignore))
        run = setup.scrub_context(on, extra_profile_dirs=profiles)
    except ConfigError as exc:
        fail(str(exc))
    items = _read_claims(file)
    errors = [item for item in items if isinstance(item, ClaimInputError)]
    claims = [item for item in items if isinstance(item, Claim)]
    fix = fix or unsafe_fixes
    outcome = scrub_claims(claims, run, rules, fix=fix, unsafe_fixes=unsafe_fixes)
    results, fixed, changes = outcome.results, outcome.claims, outcome.changes
    summary = summarize(results, invalid=len(errors))
    to_stdout = fix and output is None  # the fixed claims own stdout; the report goes to stderr
    if output_format == "json":
        document = {"claims": [r.as_json() for r in results], "summary": summary}
        document["errors"] = [
            {"position": e.position, "claim_id": e.claim_id, "message": str(e)} for e in errors
        ]
        if fix:
            document["changes"] = changes
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False), err=to_stdout)
    else:
        console = Console(stderr=to_stdout)
        for change in changes:
            console.print(f"fixed {change}", highlight=False)
        _render_table(results, summary, console)
    if fix:
        wrote = f"{_count(len(fixed), 'claim')} with {_count(len(changes), 'change')}"
        if output is None:
            typer.echo(dump_claims(fixed))
            typer.echo(f"wrote {wrote} to standard output", err=True)
        else:
            output.write_text(dump_claims(fixed), encoding="utf-8")
            typer.echo(f"wrote {wrote} to {output}", err=True)
    for error in errors:
        typer.echo(f"otbill: error: {file}: {error}", err=True)
    if errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(r.status == "held" for r in results) else 0)


def schema_command(
    output: Annotated[
        Path | None, typer.Option(help="write here instead of standard output")
    ] = None,
) -> None:
    """Print the JSON Schema of otbill claim JSON, version 1."""
    text = json.dumps(claim_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
