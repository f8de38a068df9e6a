"""``otbill demo``, ``otbill claims list|show|correct|void`` and ``otbill audit verify|checkpoint``.

Thin: parse options, open the database (migrating an empty one), call a service, print. Mount::

    app.command("demo")(records.demo_command)
    app.add_typer(records.claims_app, name="claims")
    app.add_typer(records.audit_app, name="audit")
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from otbill import clock
from otbill.cli.claim_corrections import correct_command, void_command
from otbill.cli.claim_paper import paper_command
from otbill.cli.claim_secondary import secondary_command
from otbill.cli.claim_status import status_command
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

__all__ = ["audit_app", "claims_app", "demo_command"]

claims_app = typer.Typer(help="List and show claims.", no_args_is_help=True)
claims_app.command("status")(status_command)  # otbill claims status: 276/277 follow-up
claims_app.command("paper")(paper_command)  # otbill claims paper: the CMS-1500 form as PDF
claims_app.command("correct")(correct_command)  # otbill claims correct: frequency 7
claims_app.command("void")(void_command)  # otbill claims void: frequency 8
claims_app.command("secondary")(secondary_command)  # otbill claims secondary: the next payer's
audit_app = typer.Typer(help="Check the tamper-evident audit trail.", no_args_is_help=True)


def demo_command(
    ctx: typer.Context,
    database_url: DatabaseUrl = None,
    today: Annotated[
        str | None, typer.Option(help="Scrub as of this date (default: the demo's date).")
    ] = None,
) -> None:
    """Load the demo clinic (once; loading again changes nothing)."""
    from otbill.demo.data import DEMO_AS_OF
    from otbill.demo.load import load_demo
    from otbill.domain.record_errors import RecordError

    setup = setup_of(ctx)
    db = setup.database(database_url)
    as_of = parse_date(today, "--today") or DEMO_AS_OF
    try:
        report = load_demo(db, setup.scrub_context(as_of), setup.rules())
    except RecordError as exc:
        fail(str(exc))
    verb = "loaded" if report.created else "already present"
    counts = ", ".join(f"{n} {s}" for s, n in report.claims_by_status.items())
    print(f"demo clinic {verb}: {counts}")


@claims_app.command("list")
def list_command(
    ctx: typer.Context,
    database_url: DatabaseUrl = None,
    status: Annotated[str | None, typer.Option(help="Only claims in this status.")] = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, help="Claims per page (1 to 10,000).")
    ] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Claims to skip: where the page starts.")] = 0,
) -> None:
    """Claims, oldest date of service first, a page at a time (--limit, --offset)."""
    from otbill.domain.lifecycle import ClaimStatus
    from otbill.services.views.claim_list import claims_page

    if status is not None and status not in {s.value for s in ClaimStatus}:
        fail(f"--status {status!r}: one of {', '.join(s.value for s in ClaimStatus)}")
    setup = setup_of(ctx)
    db = setup.database(database_url)
    with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
        page = claims_page(uow, status, limit, offset)
    if as_json:
        json.dump([r.as_json() for r in page.rows], sys.stdout, indent=2)
        print()
        return
    _print_page(page)


_ROW = "{:>7}  {:<24} {:<14} {:<12} {:>10}  {:>6}  {}"


def _print_page(page: Any) -> None:
    """A header, one row per claim, then which claims these are and where the next page starts."""
    if page.rows:
        print(_ROW.format("ID", "Number", "Status", "Service date", "Charge", "Errors", "Payer"))
    for r in page.rows:
        print(
            _ROW.format(
                r.id, r.number, r.status, str(r.date_of_service), r.total_charge, r.errors, r.payer
            )
        )
    first, last = page.offset + 1, page.offset + len(page.rows)
    noun = "claim" if page.total == 1 else "claims"
    if not page.rows:
        print(f"no claims here ({page.total} {noun} in all)")
        return
    more = f"; next: --offset {page.next_offset}" if page.next_offset is not None else ""
    print(f"{noun} {first}–{last} of {page.total}{more}")


@claims_app.command("show")
def show_command(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim id or number.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """One claim: lines, findings and status history."""
    from otbill.domain.record_errors import RecordError
    from otbill.services.views.claims import claim_detail

    setup = setup_of(ctx)
    db = setup.database(database_url)
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            detail = claim_detail(uow, claim)
    except RecordError as exc:
        fail(str(exc))
    if as_json:
        json.dump(detail, sys.stdout, indent=2)
        print()
        return
    _print_detail(detail)


def _print_detail(d: dict[str, Any]) -> None:
    print(
        f"claim {d['number']} (id {d['id']}): {d['status']}, {d['date_of_service']}, "
        f"{d['payer']}, total {d['total_charge']}"
    )
    for line in d["lines"]:
        mods = ",".join(line["modifiers"]) or "-"
        print(
            f"  {line['position']}. {line['code']} x{line['units']} [{mods}] "
            f"{line['minutes']} min  {line['charge']}"
        )
    for f in d["findings"]:
        print(f"  {f['severity']}: {f['rule']} {f['name']}: {f['message']}")
    for h in d["history"]:
        print(f"  {h['at']}: {h['from']} -> {h['to']} ({h['reason']})")


@audit_app.command("verify")
def verify_command(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    """Recompute the audit chain of every clinic and compare it with its anchor and the signed
    daily checkpoints (OTBILL_AUDIT_KEY); exit 1 naming any edited or deleted row."""
    from otbill.services.clinic.audit import verify_audit

    setup = setup_of(ctx)
    settings = setup.settings
    db = setup.database(database_url)
    if not settings.audit_key:
        print("no OTBILL_AUDIT_KEY: the signed checkpoints were not checked", file=sys.stderr)
    found = verify_audit(db, checkpoints=settings.checkpoint_dir, key=settings.audit_key)
    bad = False
    for code, problems in found.items():
        if not problems:
            print(f"clinic {code}: audit trail intact")
        for problem in problems:
            bad = True
            print(f"clinic {code}: {problem}")
    if bad:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def checkpoint_command(
    ctx: typer.Context,
    database_url: DatabaseUrl = None,
    today: Annotated[str | None, typer.Option(help="The day to sign for (default: today).")] = None,
) -> None:
    """Sign today's checkpoint of every clinic's audit chain (run daily, e.g. from cron)."""

    from otbill.services.clinic.audit import write_checkpoint

    setup = setup_of(ctx)
    settings = setup.settings
    if not settings.audit_key:
        fail(
            "OTBILL_AUDIT_KEY is not set: checkpoints are signed with it (keep it off the database)"
        )
    day = parse_date(today, "--today") or clock.today()
    path = write_checkpoint(
        setup.database(database_url), settings.checkpoint_dir, settings.audit_key, day
    )
    print(f"audit checkpoint written: {path}")
