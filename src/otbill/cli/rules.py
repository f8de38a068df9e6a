"""``otbill rules``: list the scrubber's rules and print each rule's page.

Rule texts are written for the generated Markdown pages (docs/rules/) with RST-style ``literals``;
on a terminal both are rendered with Rich (literals styled, headings and links laid out), never
printed raw. ``rules explain --markdown`` prints the page's Markdown source, for piping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from otbill.cli.common import fail
from otbill.cli.setup import setup_of
from otbill.rules.docs import render_index, render_rule

__all__ = ["app"]

app = typer.Typer(help="The scrubber's rules.", invoke_without_command=True, rich_markup_mode=None)


def literal_text(text: str) -> Text:
    """A rule text with its ``literals`` styled and their backticks gone."""
    out = Text()
    for n, part in enumerate(text.split("``")):
        out.append(part, style="bold cyan" if n % 2 else "")
    return out


@app.callback()
def list_rules(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="print the list as JSON")] = False,
) -> None:
    """List every rule: code, name, category, default severity, since, status."""
    if ctx.invoked_subcommand is not None:
        return
    rules = setup_of(ctx).rules(preview=True)
    if as_json:
        rows = [
            {"code": r.code, "name": r.name, "category": r.category, "severity": r.severity.value,
             "since": r.since, "status": r.status.value}
            for r in rules
        ]  # fmt: skip
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rules)} rules")
    for column in ("Code", "Name", "Category", "Severity", "Since", "Status", "What it checks"):
        table.add_column(column, overflow="fold")
    for r in rules:
        row = (r.code, r.name, r.category, r.severity.value, r.since, r.status.value)
        table.add_row(*row, literal_text(r.doc.what))
    Console().print(table)


@app.command("explain")
def explain(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="a rule code, e.g. MOD001")],
    markdown: Annotated[
        bool, typer.Option("--markdown", help="print the page's Markdown source")
    ] = False,
) -> None:
    """Print a rule's page: what it checks, why payers deny, an example, the fix, the source."""
    wanted = code.strip().upper()
    for r in setup_of(ctx).rules(preview=True):
        if r.code == wanted or r.name == code.strip():
            page = render_rule(r)
            if markdown:
                typer.echo(page)
            else:  # Markdown reads ``x`` as a code span too: one renderer for both syntaxes
                Console().print(Markdown(page, hyperlinks=False))
            return
    fail(f"rule {code!r}: no such rule (see `otbill rules`)")


@app.command("docs")
def write_docs(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option(help="directory for the generated pages")] = Path(
        "docs/rules"
    ),
) -> None:
    """Write one Markdown page per rule plus an index (docs/rules/)."""
    output.mkdir(parents=True, exist_ok=True)
    rules = setup_of(ctx).rules(preview=True)
    for r in rules:
        (output / f"{r.code}.md").write_text(render_rule(r), encoding="utf-8")
    (output / "README.md").write_text(render_index(rules), encoding="utf-8")
    typer.echo(f"wrote {len(rules)} rule pages to {output}")
