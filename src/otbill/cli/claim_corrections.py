"""``otbill claims correct CLAIM --reason ... --user U`` and ``otbill claims void CLAIM ...``.

A corrected (frequency 7) or void (8) claim of a claim the payer has, citing the payer's claim
number (REF*F8); the new claim is scrubbed and waits for approval like any claim. ``void`` asks
before it makes the void (``--yes`` to skip the question). A refusal (no payer's claim number yet,
a claim not sent, a correction of it not sent yet, no reason) is one line on stderr and exit
status 2: :mod:`otbill.services.claims.corrections`.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from otbill import clock
from otbill.cli.acting import Today, User, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, parse_date
from otbill.cli.setup import setup_of

__all__ = ["correct_command", "void_command"]

Claim = Annotated[str, typer.Argument(help="Claim number or id.")]
Reason = Annotated[str, typer.Option("--reason", help="Why (goes on both claims' histories).")]


def _make(
    ctx: typer.Context,
    claim: str,
    frequency: str,
    reason: str,
    where: tuple[str | None, str | None, str],
    today: str | None,
    as_json: bool,
) -> None:
    from otbill.services.claims.corrections import correct_claim, frequency_of

    setup = setup_of(ctx)
    run = setup.scrub_context(parse_date(today, "--today") or clock.today())
    rules = setup.rules()
    made = write_as(ctx, where, lambda uow: correct_claim(uow, claim, frequency_of(frequency),
                                                          reason, run, rules))  # fmt: skip
    if as_json:
        json.dump(made.as_json(), sys.stdout, indent=2)
        print()
        return
    what = "corrected claim (frequency 7)" if made.frequency == "7" else "void (frequency 8)"
    print(
        f"claim {made.number} (id {made.id}): a {what} of claim {made.original_number}, citing "
        f"the payer's claim number {made.payer_claim_number} (REF*F8); {made.status}, for approval"
    )


def correct_command(
    ctx: typer.Context,
    claim: Claim,
    reason: Reason,
    user: User,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Make a corrected claim (frequency 7) that replaces CLAIM at the payer."""
    _make(ctx, claim, "7", reason, (database_url, clinic, user), today, as_json)


def void_command(
    ctx: typer.Context,
    claim: Claim,
    reason: Reason,
    user: User,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before voiding.")] = False,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Make a void claim (frequency 8) that asks the payer to cancel CLAIM."""
    if not yes and not typer.confirm(f"Void claim {claim}? The payer takes back what it paid"):
        print("nothing voided", file=sys.stderr)
        raise typer.Exit(1)
    _make(ctx, claim, "8", reason, (database_url, clinic, user), today, as_json)
