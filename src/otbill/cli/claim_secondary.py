"""``otbill claims secondary CLAIM --user U``: the next payer's claim after CLAIM, by hand.

For when the automatic step after the 835 was skipped (the secondary coverage was added later,
or its priority was fixed afterwards). The claim is built from CLAIM's lines for the patient's
coverage at the next place, scrubbed at once, and waits for approval like any claim. A refusal
(CLAIM's 835 not posted, a next claim already made, no coverage at the next place on the date of
service, no patient share left) is one line on stderr and exit status 2:
:mod:`otbill.services.claims.coordination`.
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

__all__ = ["secondary_command"]

Claim = Annotated[str, typer.Argument(help="The claim number or id whose 835 has posted.")]


def secondary_command(
    ctx: typer.Context,
    claim: Claim,
    user: User,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Build the secondary (or tertiary) claim after CLAIM's 835, scrubbed, for approval."""
    from otbill.services.claims.coordination import build_secondary

    setup = setup_of(ctx)
    on = parse_date(today, "--today") or clock.today()
    run, rules = setup.scrub_context(on), setup.rules()
    made = write_as(
        ctx, (database_url, clinic, user), lambda uow: build_secondary(uow, claim, on, run, rules)
    )
    if as_json:
        json.dump(made.as_json(), sys.stdout, indent=2)
        print()
        return
    print(
        f"claim {made.number} (id {made.id}): the {made.place} claim to {made.payer} after "
        f"claim {made.prior_number}, charge basis {made.charge_basis}; {made.status}, "
        "for approval"
    )
