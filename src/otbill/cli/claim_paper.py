"""``otbill claims paper CLAIM --form full|data -o FILE``: a claim on the 1500 paper form, as PDF.

``full`` draws the complete black-and-white form; ``data`` prints only the values, to print on
the red pre-printed form. More than six service lines continue on further forms (pages). A claim
not in the clinic, or one the form cannot carry, is one line on stderr naming the claim and the
item, and exit status 2; nothing is written then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from otbill import clock
from otbill.cli.common import Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

__all__ = ["paper_command"]


def paper_command(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim number or id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    form: Annotated[
        str, typer.Option("--form", help="full (the whole form drawn) or data (for the red form).")
    ] = "full",
    today: Annotated[
        str | None, typer.Option("--today", help="Date printed in item 31 (default: today).")
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A claim on the CMS-1500 (02/12) paper form, as PDF."""
    from otbill.domain.record_errors import RecordError
    from otbill.services.claims.paper import FORMS, PaperClaimError, paper_claim

    if form not in FORMS:
        fail(f"--form {form!r}: one of {', '.join(FORMS)}")
    printed_on = parse_date(today, "--today") or clock.today()
    setup = setup_of(ctx)
    db = setup.database(database_url)
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            printed = paper_claim(uow, claim, kind=form, printed_on=printed_on)
    except (RecordError, PaperClaimError) as error:
        fail(str(error))
    try:
        output.write_bytes(printed.pdf)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    noun = "form" if printed.forms == 1 else "forms"
    print(f"claim {printed.number}: {printed.forms} {noun} ({form}) written to {output}")
