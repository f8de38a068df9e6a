"""The ``otbill`` command line: thin wrappers that parse input, call a service and render output.

Each command's module is imported only when that command runs (:mod:`otbill.cli.lazy`), so a
pure computation such as ``otbill units`` starts without the database layer or the rule set.
What commands share (settings, database, payer profiles, rules, the scrub context) is wired once,
by :class:`otbill.cli.setup.CliSetup`, which the root command hands to every command.
"""

from __future__ import annotations

import typer

from otbill.cli.lazy import LazyCommand, lazy_group
from otbill.cli.setup import CliSetup

__all__ = ["COMMANDS", "app", "main"]

#: Every command, by name, in the order ``otbill --help`` lists them (commands, then groups).
COMMANDS: dict[str, LazyCommand] = {
    "units": LazyCommand("otbill.cli.units:units_command"),
    "scrub": LazyCommand("otbill.cli.scrub:scrub_command"),
    "schema": LazyCommand("otbill.cli.scrub:schema_command"),
    "demo": LazyCommand("otbill.cli.records:demo_command"),
    "serve": LazyCommand("otbill.cli.serve:serve_command"),
    "check": LazyCommand("otbill.cli.check:check_command"),
    "worker": LazyCommand("otbill.cli.worker:worker_command"),
    "post": LazyCommand("otbill.cli.edi:post_command"),
    "ack": LazyCommand("otbill.cli.edi:ack_command"),
    "submit": LazyCommand("otbill.cli.edi:submit_command"),
    "export-837": LazyCommand("otbill.cli.edi:export_837_command"),
    "import": LazyCommand("otbill.cli.import_csv:import_command"),
    "rules": LazyCommand("otbill.cli.rules:app"),
    "claims": LazyCommand("otbill.cli.records:claims_app"),
    "denials": LazyCommand("otbill.cli.denials:app"),
    "audit": LazyCommand("otbill.cli.records:audit_app"),
    "auth": LazyCommand("otbill.cli.authorizations:app"),
    "plans": LazyCommand("otbill.cli.plans:app"),
    "patients": LazyCommand("otbill.cli.patients:patients_app"),
    "coverage": LazyCommand("otbill.cli.patients:coverage_app"),
    "prices": LazyCommand("otbill.cli.prices:app"),
    "selfpay": LazyCommand("otbill.cli.self_pay:app"),
    "payments": LazyCommand("otbill.cli.payments:app"),
    "schedule": LazyCommand("otbill.cli.schedule:app"),
    "eligibility": LazyCommand("otbill.cli.eligibility:app"),
    "statements": LazyCommand("otbill.cli.statements:app"),
    "money": LazyCommand("otbill.cli.money:app"),
    "reports": LazyCommand("otbill.cli.reports:app"),
    "clinic": LazyCommand("otbill.cli.clinic:app"),
    "sessions": LazyCommand("otbill.cli.sessions:app"),
    "company": LazyCommand("otbill.cli.company:app"),
    "clearinghouse": LazyCommand("otbill.cli.edi:clearinghouse_app"),
    "x12": LazyCommand(
        "otbill.cli.x12:app", help="Read and write X12 5010: 837P, 835, 999, 277CA."
    ),
    "refdata": LazyCommand(
        "otbill.cli.refdata:app",
        help="Import and list CMS reference tables (NCCI, MUE, RVU, GPCI).",
    ),
}

app = typer.Typer(
    name="otbill",
    cls=lazy_group(COMMANDS),
    help="otbill: billing engine for occupational-therapy practices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def root(ctx: typer.Context) -> None:
    """otbill: billing engine for occupational-therapy practices."""
    ctx.ensure_object(CliSetup).run_as_of_settings(ctx)


def main() -> None:
    app()
