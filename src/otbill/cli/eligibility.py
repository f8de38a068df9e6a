"""``otbill eligibility check COVERAGE_ID --date D``: ask the payer (270/271), print the benefits.

Thin: parse options, call :func:`otbill.services.exchange.eligibility.check_coverage` in one unit
of work as ``--user``, print the answer in plain words (or ``--json``). The answer is kept with the
coverage and audited. Today the one real-time transport is the payer simulator, in-process (the
clearinghouse connections come later); a failed exchange, an unreadable 271 or a missing record is
one line on stderr and exit status 2, and nothing is stored.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from otbill import clock
from otbill.cli.acting import User, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

__all__ = ["app"]

app = typer.Typer(help="Eligibility over X12 270/271: ask the payer, keep the answer.",
                  no_args_is_help=True)  # fmt: skip

_DISCIPLINES = ("OT", "PT")


@app.command("check")
def check_command(
    ctx: typer.Context,
    coverage_id: Annotated[int, typer.Argument(help="The coverage's id.")],
    date: Annotated[str, typer.Option("--date", help="Date of service (YYYY-MM-DD).")],
    user: User,
    discipline: Annotated[
        list[str] | None,
        typer.Option("--discipline", help="OT (service type AD) and/or PT; default OT."),
    ] = None,
    code: Annotated[
        list[str] | None,
        typer.Option("--code", help="A procedure code to ask about (payers whose profile asks)."),
    ] = None,
    transport: Annotated[
        str, typer.Option("--transport", help="How to reach the payer: simulator (in-process).")
    ] = "simulator",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Check one coverage for a date of service and print what the payer answered."""
    from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
    from otbill.services.exchange.eligibility import check_coverage

    on = parse_date(date, "--date")
    assert on is not None
    disciplines = tuple(d.strip().upper() for d in (discipline or ["OT"]))
    bad = [d for d in disciplines if d not in _DISCIPLINES]
    if bad:
        fail(f"--discipline {bad[0]!r}: OT or PT")
    if transport != "simulator":
        fail(f"--transport {transport!r}: only 'simulator' is available")
    codes = tuple(c.strip().upper() for c in (code or []))
    for one in codes:
        if not (len(one) == 5 and one.isascii() and one.isalnum()):
            fail(f"--code {one!r}: a 5-character procedure code such as 97530")
    profiles = setup_of(ctx).profiles()
    result = write_as(
        ctx,
        (database_url, clinic, user),
        lambda uow: check_coverage(
            uow, coverage_id, on=on, today=clock.today(), transport=SimulatedEligibilityPayer(),
            profiles=profiles, disciplines=disciplines, procedure_codes=codes,
        ),
    )  # fmt: skip
    if as_json:
        print(json.dumps({"coverage_id": coverage_id, "check_id": result.check_id,
                          "active": result.summary.active, "lines": result.lines}, indent=2))  # fmt: skip
        return
    print(f"coverage {coverage_id}, eligibility check {result.check_id} (payer simulator)")
    for line in result.lines:
        print(line)
