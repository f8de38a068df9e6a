"""``otbill prices pdf -o F``: the clinic's price list (its charge master in force today) as a PDF,
the same as the public /prices page shows, whether or not the clinic publishes it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from otbill import clock
from otbill.cli.common import Clinic, DatabaseUrl, fail
from otbill.cli.setup import setup_of

__all__ = ["app"]

app = typer.Typer(help="The clinic's price list (charge master).", no_args_is_help=True)


@app.command("pdf")
def pdf_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write the price list in force today as a PDF."""
    from otbill.pdf.price_list import render_price_list
    from otbill.services.frontdesk.price_list import price_list

    setup = setup_of(ctx)
    db = setup.database(database_url)
    with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
        prices = price_list(uow, clock.today())
    try:
        output.write_bytes(render_price_list(prices))
    except OSError as exc:
        fail(f"--output {output}: cannot write the price list ({exc.strerror})")
    shown = "published at /prices" if prices.published else "hidden from /prices"
    print(f"{len(prices.lines)} prices in force on {prices.on} written to {output} ({shown})")
