"""``otbill selfpay``: the clinic's self-pay rules and packages, and a self-pay patient's account.

Admins: ``show``, ``prompt-pay``, ``sliding-scale``, ``package-add``, ``package-withdraw``.
Front desk and billers: ``account PATIENT``, ``household PATIENT``, ``sell PATIENT PACKAGE``,
``paid-at-visit VISIT``. Writes run as ``--user`` (audited); a refusal is one line on stderr and
exit status 2. Self-pay visits are charged by ``otbill`` claim building (no claim is made):
:mod:`otbill.services.self_pay.charges`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer

from otbill import clock
from otbill.cli.acting import Today, User, read_as_of, write_as
from otbill.cli.common import Clinic, DatabaseUrl, fail, parse_date

__all__ = ["app"]

app = typer.Typer(help="Self-pay: discount rules, cash packages, a patient's self-pay account.",
                  no_args_is_help=True)  # fmt: skip

From = Annotated[str, typer.Option("--from", help="The first day the rule applies (YYYY-MM-DD).")]


def _cents(text: str, option: str) -> int:
    try:
        amount = Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        fail(f"{option} {text!r}: an amount in dollars (e.g. 15650 or 120.00)")
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        fail(f"{option} {text!r}: dollars and cents, not negative")
    return int(amount * 100)


def _day(text: str, option: str) -> dt.date:
    day = parse_date(text, option)
    assert day is not None
    return day


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


@app.command("show")
def show_command(
    ctx: typer.Context, today: Today = None, database_url: DatabaseUrl = None, clinic: Clinic = None
) -> None:
    """The rules in force today (or --today) and the packages offered."""
    from otbill.services.self_pay.settings import settings_view

    s: dict[str, Any] = read_as_of(ctx, (database_url, clinic, today), settings_view)
    pp = s["prompt_pay"]
    print(f"rules in force on {s['on']}:")
    if pp and pp.percent_off:
        print(
            f"  prompt pay: {pp.percent_off}% off when paid at the visit (from {pp.effective_from})"
        )
    else:
        print("  prompt pay: none")
    if s["sliding"]:
        first, more = s["guideline"]
        tiers = "; ".join(f"up to {t.income_up_to_percent}%: {t.percent_off}% off"
                          for t in s["sliding"])  # fmt: skip
        print(f"  sliding scale from {s['sliding_from']} (guideline {_money(first)} + "
              f"{_money(more)} a person): {tiers}")  # fmt: skip
    else:
        print("  sliding scale: none")
    for o in s["packages"]:
        state = "" if o.active else " (withdrawn)"
        print(f"  package {o.id}: {o.name}{state}: {o.visits} visits for {_money(o.price_cents)}, "
              f"good {o.valid_days} days")  # fmt: skip


@app.command("prompt-pay")
def prompt_pay_command(
    ctx: typer.Context,
    percent: Annotated[int, typer.Argument(help="Percent off when paid at the visit (0 ends it).")],
    effective_from: From,
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Prompt pay from a date: a percent off when the patient pays at the visit."""
    from otbill.services.self_pay.settings import set_prompt_pay

    on = _day(effective_from, "--from")
    write_as(ctx, (database_url, clinic, user), lambda uow: set_prompt_pay(uow, percent, on))
    print(f"prompt pay from {on}: {percent}% off when paid at the visit")


@app.command("sliding-scale")
def sliding_scale_command(
    ctx: typer.Context,
    effective_from: From,
    guideline_first: Annotated[
        str, typer.Option("--guideline-first", help="Poverty guideline, household of one ($/year).")
    ],
    guideline_each_more: Annotated[
        str, typer.Option("--guideline-each-more", help="Poverty guideline, each person more.")
    ],
    user: User,
    tier: Annotated[
        list[str] | None,
        typer.Option("--tier", help="INCOME%:OFF%, e.g. 150:50 (repeat; none ends the scale)."),
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The sliding scale from a date: tiers by household income as a percent of the guideline."""
    from otbill.services.self_pay.settings import Tier, set_sliding_scale

    tiers = []
    for text in tier or []:
        limit, _, off = text.partition(":")
        if not (limit.strip().isdigit() and off.strip().isdigit()):
            fail(f"--tier {text!r}: income percent:percent off, e.g. 150:50")
        tiers.append(Tier(int(limit), int(off)))
    on = _day(effective_from, "--from")
    first = _cents(guideline_first, "--guideline-first")
    more = _cents(guideline_each_more, "--guideline-each-more")
    write_as(ctx, (database_url, clinic, user), lambda uow: set_sliding_scale(
        uow, tiers, on, guideline_first_cents=first, guideline_each_more_cents=more))  # fmt: skip
    print(f"sliding scale from {on}: {len(tiers)} tier(s)" if tiers else f"sliding scale ends {on}")


@app.command("package-add")
def package_add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The package's name, e.g. 'Ten visits'.")],
    visits: Annotated[int, typer.Option("--visits", help="Visits it pays for.")],
    price: Annotated[str, typer.Option("--price", help="Its price in dollars.")],
    days: Annotated[int, typer.Option("--days", help="Good for this many days from the sale.")],
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Offer a cash package: N visits for a price, good D days from the sale."""
    from otbill.services.self_pay.settings import add_package

    cents = _cents(price, "--price")
    offer_id = write_as(ctx, (database_url, clinic, user),
                        lambda uow: add_package(uow, name, visits, cents, days))  # fmt: skip
    print(f"package {offer_id}: {name}: {visits} visits for {_money(cents)}, good {days} days")


@app.command("package-withdraw")
def package_withdraw_command(
    ctx: typer.Context,
    package: Annotated[int, typer.Argument(help="The package's id (otbill selfpay show).")],
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Stop offering a package (packages already sold stay good)."""
    from otbill.services.self_pay.settings import set_package_offered

    offer = write_as(ctx, (database_url, clinic, user),
                     lambda uow: set_package_offered(uow, package, False))  # fmt: skip
    print(f"package {offer.id}: {offer.name} withdrawn")


@app.command("account")
def account_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Argument(help="The patient's id.")],
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A patient's self-pay charges, discounts and packages, and visits left."""
    from otbill.services.self_pay.charges import self_pay_account

    a: dict[str, Any] = read_as_of(ctx, (database_url, clinic, today),
                                   lambda uow, on: self_pay_account(uow, patient, on))  # fmt: skip
    p = a["patient"]
    print(f"{p['name']} ({p['mrn']}){'' if a['self_pay'] else ': not registered as self-pay'}")
    for k in a["packages"]:
        print(f"  package {k.name}: {k.left} of {k.visits} visits left, good to {k.expires_on}")
    for e in reversed(a["entries"]):
        print(f"  {e.on}  {e.kind:<16} {e.amount:>10}  {e.source}")
    print(f"  self-pay entries in all: {a['total']}")


@app.command("household")
def household_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Argument(help="The patient's id.")],
    size: Annotated[int, typer.Option("--size", help="People in the household.")],
    income: Annotated[str, typer.Option("--income", help="Household income, dollars a year.")],
    user: User,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Record the household's size and income (the sliding scale of visits from today)."""
    from otbill.services.self_pay.charges import set_household

    cents = _cents(income, "--income")
    on = parse_date(today, "--today") or clock.today()
    write_as(ctx, (database_url, clinic, user),
             lambda uow: set_household(uow, patient, size, cents, on))  # fmt: skip
    print(f"patient {patient}: household of {size}, {_money(cents)} a year, from {on}")


@app.command("sell")
def sell_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Argument(help="The patient's id.")],
    package: Annotated[int, typer.Argument(help="The package's id (otbill selfpay show).")],
    user: User,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Sell a package to a self-pay patient: its price goes on their account."""
    from otbill.services.self_pay.charges import sell_package

    on = parse_date(today, "--today") or clock.today()
    sold = write_as(ctx, (database_url, clinic, user),
                    lambda uow: sell_package(uow, patient, package, on))  # fmt: skip
    print(f"patient {patient}: package sold (id {sold}) on {on}")


@app.command("paid-at-visit")
def paid_at_visit_command(
    ctx: typer.Context,
    visit: Annotated[int, typer.Argument(help="The visit's id.")],
    user: User,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The patient paid at the visit: the clinic's prompt-pay discount for it."""
    from otbill.services.self_pay.charges import prompt_pay

    on = parse_date(today, "--today") or clock.today()
    done = write_as(ctx, (database_url, clinic, user), lambda uow: prompt_pay(uow, visit, on))
    print(f"visit {visit}: " + ("prompt-pay discount posted" if done else "no prompt-pay rule"))
