"""``otbill statements run --date D [--dry-run] [--out DIR]``: send the patient statements due
on D; ``otbill statements due --date D``: list who is due one, with the aging totals.

Thin: :mod:`otbill.services.billing.statements` does the work. ``run`` shows a Rich progress bar
on stderr (recording, then printing), then a summary: how many statements were sent, held, already
sent that day, not due yet and for collections review, the amount, and the files written (one
combined PDF and one CSV for the mailing service per batch). A second run the same day sends
nothing twice. A missing record or a refused step is one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from otbill.cli.acting import User, acting_in
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date

__all__ = ["app"]

app = typer.Typer(help="Patient statements: who owes what, aged; the statement run.",
                  no_args_is_help=True)  # fmt: skip

DateOption = Annotated[str, typer.Option("--date", help="The statement date (YYYY-MM-DD).")]
TermsOption = Annotated[
    int, typer.Option("--terms-days", help="Days from the statement date to its due date.")
]
MinimumOption = Annotated[
    str, typer.Option("--minimum", help="No statement for an amount due at or below this.")
]


def _terms(terms_days: int, minimum: str) -> Any:
    from otbill.domain.statements import StatementTerms

    if not 0 <= terms_days <= 120:
        fail(f"--terms-days {terms_days}: between 0 and 120 days")
    try:
        low = Decimal(minimum)
    except ArithmeticError:
        fail(f"--minimum {minimum!r}: an amount in dollars, such as 5.00")
    if low < 0:
        fail(f"--minimum {minimum}: not negative")
    return StatementTerms(terms_days=terms_days, minimum=low)


@app.command("due")
def due_command(
    ctx: typer.Context,
    date: DateOption,
    user: User,
    terms_days: TermsOption = 21,
    minimum: MinimumOption = "5.00",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """List the guarantors owing more than the minimum on the date, aged, with what a run does."""
    from otbill.errors import OtbillError
    from otbill.services.billing.statements import due_list

    on = parse_date(date, "--date")
    assert on is not None
    terms = _terms(terms_days, minimum)
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            listed = due_list(uow, on, terms)
    except OtbillError as exc:
        fail(str(exc))
    a = listed.aging
    if as_json:
        print(json.dumps({"date": on.isoformat(), "amount_due": str(listed.amount_due),
                          "aging": {"current": str(a.current), "31-60": str(a.days_31_60),
                                    "61-90": str(a.days_61_90), "over-90": str(a.over_90)},
                          "guarantors": [{"name": d.statement.guarantee.name,
                                          "amount_due": str(d.statement.amount_due),
                                          "status": d.status} for d in listed.items]},
                         indent=2))  # fmt: skip
        return
    print(f"{len(listed.items)} guarantor(s) owing {listed.amount_due} on {on}: current "
          f"{a.current}, 31-60 days {a.days_31_60}, 61-90 days {a.days_61_90}, over 90 days "
          f"{a.over_90}")  # fmt: skip
    for d in listed.items:
        print(f"  {d.statement.guarantee.name}: {d.statement.amount_due} - {d.status}")


@app.command("run")
def run_command(
    ctx: typer.Context,
    date: DateOption,
    user: User,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be sent; record and write nothing.")
    ] = False,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the combined PDF and the mailing CSV.")
    ] = Path("statements"),
    terms_days: TermsOption = 21,
    minimum: MinimumOption = "5.00",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Send the statements due on the date: record each, write the batch's PDF and CSV."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from otbill.errors import OtbillError
    from otbill.services.billing.statements import run_statements

    on = parse_date(date, "--date")
    assert on is not None
    terms = _terms(terms_days, minimum)
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    err = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    bar = Progress(*columns, console=err, transient=True, disable=not err.is_terminal)
    tasks: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(f"{stage} statements", total=total)
        bar.update(tasks[stage], completed=done, total=total)

    try:
        with bar:
            summary = run_statements(db, clinic_id, actor, on, out_dir=out, terms=terms,
                                     dry_run=dry_run, progress=progress)  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    counts = {"sent": summary.sent, "on hold": summary.held, "already sent that day":
              summary.already_sent, "not due yet": summary.not_due_yet,
              "collections review": summary.collections}  # fmt: skip
    if as_json:
        print(json.dumps({"date": on.isoformat(), "dry_run": dry_run, "due": summary.due,
                          **{k.replace(" ", "_"): v for k, v in counts.items()},
                          "amount": str(summary.amount), "batches": summary.batches,
                          "files": [str(f) for f in summary.files]}, indent=2))  # fmt: skip
        return
    verb = "would send" if dry_run else "sent"
    print(f"statements for {on}: {summary.due} guarantor(s) above the minimum; {verb} "
          f"{summary.sent} for {summary.amount}")  # fmt: skip
    for name, n in counts.items():
        if name != "sent":
            print(f"  {name}: {n}")
    for path in summary.files:
        print(f"  wrote {path}")
