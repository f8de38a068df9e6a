"""The ``otbill`` command line: thin wrappers that parse input, call a service and render output."""

from __future__ import annotations

import typer

from otbill.cli import edi, records
from otbill.cli import rules as rules_cli
from otbill.cli import scrub as scrub_cli
from otbill.cli import serve as serve_cli
from otbill.cli import units as units_cli
from otbill.cli.refdata import app as refdata_app
from otbill.cli.x12 import app as x12_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="otbill",
    help="otbill: billing engine for occupational-therapy practices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("units")(units_cli.units_command)
app.command("scrub")(scrub_cli.scrub_command)
app.command("schema")(scrub_cli.schema_command)
app.add_typer(rules_cli.app, name="rules")
app.command("demo")(records.demo_command)
app.command("serve")(serve_cli.serve_command)
app.add_typer(records.claims_app, name="claims")
app.add_typer(records.audit_app, name="audit")
app.command("post")(edi.post_command)
app.command("ack")(edi.ack_command)
app.command("submit")(edi.submit_command)
app.command("export-837")(edi.export_837_command)
app.add_typer(edi.clearinghouse_app, name="clearinghouse")
app.add_typer(x12_app, name="x12", help="Read and write X12 5010: 837P, 835, 999, 277CA.")
app.add_typer(
    refdata_app, name="refdata", help="Import and list CMS reference tables (NCCI, MUE, RVU, GPCI)."
)


@app.callback()
def root() -> None:
    """otbill: billing engine for occupational-therapy practices."""


def main() -> None:
    app()
