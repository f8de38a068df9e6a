"""``otbill money underpaid|variance|what-if``: expected vs paid, and re-pricing a year.

- ``underpaid``: lines the payers paid below the expected amount (Medicare PFS or the contracted
  rate) by more than ``--tolerance``, by payer and code, each with its evidence; ``--csv FILE``.
- ``variance``: expected vs paid per payer.
- ``what-if``: the last 12 months re-priced: ``--years 2024:2025``, ``--payer P --rates F.csv``
  (proposed rates, ``code,allowed`` per unit) or ``--payer P --to-payer Q --share 25``.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from otbill import clock
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.services.money.reports import ExpectedReport

__all__ = ["app"]

app = typer.Typer(
    help="Expected vs paid: the underpayment queue, variance by payer, what-if re-pricing.",
    no_args_is_help=True,
)

From = Annotated[str | None, typer.Option("--from", help="First date of service (YYYY-MM-DD).")]
Through = Annotated[str | None, typer.Option("--to", help="Last date of service (YYYY-MM-DD).")]
Tolerance = Annotated[
    str, typer.Option("--tolerance", help="Dollars a line may be short before it is listed.")
]


def _amount(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        fail(f"{option} {text!r}: expected an amount such as 1.00")
    if value < 0:
        fail(f"{option} {text!r}: expected 0 or more")
    return value


def _report(
    ctx: typer.Context,
    first: str | None,
    to: str | None,
    tolerance: str,
    url: str | None,
    clinic: str | None,
) -> ExpectedReport:
    import datetime as dt

    from otbill.errors import OtbillError
    from otbill.services.money.reports import expected_report, recent_window

    setup = setup_of(ctx)
    start, end = recent_window(clock.today())
    start = parse_date(first, "--from") or start
    last = parse_date(to, "--to")
    end = last + dt.timedelta(days=1) if last else end
    if end <= start:
        fail("--to is before --from")
    db = setup.database(url)
    dirs = [setup.settings.refdata_dir]
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            return expected_report(uow, dirs, start, end, _amount(tolerance, "--tolerance"))
    except OtbillError as exc:
        fail(str(exc))


@app.command("underpaid")
def underpaid_command(
    ctx: typer.Context,
    first: From = None,
    to: Through = None,
    tolerance: Tolerance = "1.00",
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Also write every underpaid line to this CSV.")
    ] = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Lines paid below expected by more than the tolerance, by payer and code."""
    from otbill.services.money.reports import queue_csv

    report = _report(ctx, first, to, tolerance, database_url, clinic)
    if csv_file is not None:
        try:
            csv_file.write_text(queue_csv(report.queue))
        except OSError as exc:
            fail(f"--csv {csv_file}: cannot write ({exc.strerror})")
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "payer": g.payer_name,
                        "code": g.code,
                        "lines": len(g.lines),
                        "expected": str(g.expected),
                        "paid": str(g.paid),
                        "shortfall": str(g.shortfall),
                    }
                    for g in report.queue
                ],
                indent=2,
            )
        )
        return
    window = f"dates of service {report.first} to {report.end}"
    if not report.queue:
        print(f"No line paid more than ${report.tolerance} below expected ({window}).")
        return
    print(f"Underpaid by more than ${report.tolerance} ({window}):")
    for g in report.queue:
        print(
            f"  {g.payer_name}, {g.code}: {len(g.lines)} line(s), expected {g.expected}, "
            f"paid {g.paid}, short {g.shortfall}"
        )
        for li in g.lines[:5]:
            print(
                f"    claim {li.claim_number} {li.date}: expected {li.expected_paid}, "
                f"paid {li.paid} ({li.basis})"
            )
    if csv_file is not None:
        print(f"Every line with its evidence written to {csv_file}")


@app.command("variance")
def variance_command(
    ctx: typer.Context,
    first: From = None,
    to: Through = None,
    tolerance: Tolerance = "1.00",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Expected vs paid per payer over the paid lines."""
    report = _report(ctx, first, to, tolerance, database_url, clinic)
    if not report.variance:
        print("No line has been paid on an 835 in these dates.")
        return
    for v in report.variance:
        pct = f"{v.percent}%" if v.percent is not None else "-"
        print(
            f"{v.payer_name}: {v.priced} of {v.lines} line(s) priced, expected {v.expected}, "
            f"paid {v.paid}, variance {v.variance} ({pct}); {v.underpaid_lines} underpaid, "
            f"{v.overpaid_lines} overpaid, {v.denied_lines} denied"
        )


@app.command("what-if")
def what_if_command(
    ctx: typer.Context,
    years: Annotated[
        str | None, typer.Option("--years", help="Medicare re-priced FROM:TO, e.g. 2024:2025.")
    ] = None,
    payer: Annotated[
        str | None, typer.Option("--payer", help="The payer (EDI payer ID or name).")
    ] = None,
    rates: Annotated[
        Path | None, typer.Option("--rates", help="CSV of the payer's proposed code,allowed.")
    ] = None,
    to_payer: Annotated[
        str | None, typer.Option("--to-payer", help="Move visits of --payer to this payer.")
    ] = None,
    share: Annotated[
        str | None, typer.Option("--share", help="Percent of --payer's visits to move.")
    ] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Write the change per payer, code, month.")
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Re-price the last 12 whole months under another year, proposed rates or payer mix."""
    from otbill.errors import OtbillError
    from otbill.services.money.reports import find_payer, read_rates, what_if_csv
    from otbill.services.views.what_if import Scenario, last_twelve_months, what_if

    chosen = [bool(years), bool(rates), bool(to_payer)]
    if sum(chosen) != 1:
        fail("give one of --years FROM:TO, --payer P --rates FILE, --payer P --to-payer Q")
    setup = setup_of(ctx)
    db = setup.database(database_url)
    first, end = last_twelve_months(clock.today())
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            if years:
                parts = years.split(":")
                if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
                    fail(f"--years {years!r}: expected FROM:TO, e.g. 2024:2025")
                scenario = Scenario("year", int(parts[0]), int(parts[1]))
            elif payer is None:
                fail("--rates and --to-payer need --payer")
            elif rates:
                try:
                    text = rates.read_text()
                except OSError as exc:
                    fail(f"--rates {rates}: cannot read ({exc.strerror})")
                scenario = Scenario(
                    "rates", payer_id=find_payer(uow, payer).id, rates=read_rates(text)
                )
            else:
                percent = _amount(share or "", "--share")
                if percent > 100:
                    fail(f"--share {share}: a percent from 0 to 100")
                scenario = Scenario(
                    "mix",
                    payer_id=find_payer(uow, payer).id,
                    to_payer_id=find_payer(uow, to_payer or "").id,
                    share=percent / 100,
                )
            result = what_if(uow, [setup.settings.refdata_dir], scenario, first, end)
    except OtbillError as exc:
        fail(str(exc))
    print(f"{result.title}; dates of service {result.first} to {result.end}")
    print(f"{result.visits} visit(s), {result.lines} line(s)")
    for note in result.notes:
        print(f"  note: {note}")
    for c in (*result.by_payer, result.total):
        pct = f"{c.percent}%" if c.percent is not None else "-"
        print(f"  {c.label}: {c.before} -> {c.after} ({c.change:+}, {pct})")
    if csv_file is not None:
        try:
            csv_file.write_text(what_if_csv(result))
        except OSError as exc:
            fail(f"--csv {csv_file}: cannot write ({exc.strerror})")
        print(f"The change per payer, code and month written to {csv_file}")
