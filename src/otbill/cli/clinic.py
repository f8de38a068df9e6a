"""``otbill clinic``: create and list clinics, and set one up (locations, providers, payers,
fees, overhead) from the command line, for a billing company adding clinics.

Every value is checked by the same services as the web pages; bad input is one line on stderr
naming the field, exit status 2, and nothing written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from otbill import clock
from otbill.cli.common import Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.storage import UnitOfWork

__all__ = ["app"]

app = typer.Typer(help="Create, list and set up clinics.", no_args_is_help=True)
T = TypeVar("T")
Opt = typer.Option
Text = Annotated[str, Opt()]
MaybeText = Annotated[str, Opt()]
PASSWORD_ENV = "OTBILL_ADMIN_PASSWORD"


def _checked(action: Callable[[], T]) -> T:
    """Run ``action``; a data problem (a bad NPI, an unknown payer...) exits 2 with its message."""
    from otbill.errors import OtbillError

    try:
        return action()
    except OtbillError as exc:
        fail(str(exc))


def _money(value: str, option: str) -> Decimal:
    try:
        return Decimal(value.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        fail(f"{option} {value!r}: an amount in dollars, such as 65.00")


@app.command("create")
def create_command(
    ctx: typer.Context,
    code: Text,
    name: Annotated[str, Opt(help="The clinic's legal name.")],
    tax_id: Annotated[str, Opt(help="Employer identification number (EIN).")],
    npi: Annotated[str, Opt(help="The organisation's billing NPI.")],
    street: Text,
    city: Text,
    state: Text,
    zip_code: Annotated[str, Opt("--zip")],
    admin_username: Text,
    admin_name: Text,
    taxonomy: Annotated[str, Opt()] = "225X00000X",
    pay_to_street: MaybeText = "",
    pay_to_city: MaybeText = "",
    pay_to_state: MaybeText = "",
    pay_to_zip: MaybeText = "",
    database_url: DatabaseUrl = None,
) -> None:
    """A new clinic with its first admin (password from $OTBILL_ADMIN_PASSWORD, else asked)."""
    from otbill.services.clinic.identity import NewAdmin, checked_clinic, first_run

    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Admin password", hide_input=True, confirmation_prompt=True
    )
    db = setup_of(ctx).database(database_url)
    clinic = _checked(
        lambda: checked_clinic(
            code, name, npi, tax_id, (street, city, state, zip_code), taxonomy or None,
            (pay_to_street, pay_to_city, pay_to_state, pay_to_zip),
        )
    )  # fmt: skip
    admin = NewAdmin(admin_username, admin_name, password)
    clinic_id, _ = _checked(lambda: first_run(db, clinic, admin, only_if_none=False))
    print(f"clinic {clinic.code} created (id {clinic_id}); admin {admin_username} can log in")


@app.command("list")
def list_command(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    """Every clinic of the database, oldest first."""
    from otbill.services.clinic.clinics import list_clinics

    clinics = list_clinics(setup_of(ctx).database(database_url))
    for clinic in clinics:
        print(f"{clinic.id:>5}  {clinic.code}")
    print(f"{len(clinics)} clinic(s)")


def _in_clinic(
    ctx: typer.Context,
    database_url: str | None,
    clinic: str | None,
    work: Callable[[UnitOfWork], T],
) -> T:
    """``work`` in one unit of work of the clinic ``--clinic`` names (acting as no user)."""
    setup = setup_of(ctx)
    db = setup.database(database_url)
    clinic_id = setup.clinic_id(db, clinic)

    def run() -> T:
        with db.unit_of_work(clinic_id) as uow:
            return work(uow)

    return _checked(run)


@app.command("add-location")
def add_location_command(
    ctx: typer.Context,
    name: Text,
    street: Text,
    city: Text,
    state: Text,
    zip_code: Annotated[str, Opt("--zip")],
    place_of_service: Annotated[str, Opt(help="Two-digit place-of-service code.")] = "11",
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """A service location of the clinic."""
    from otbill.domain.clinic_setup import Address, Location
    from otbill.services.clinic.locations import add_location

    place = Location(0, name, Address(street, city, state, zip_code), place_of_service)
    new_id = _in_clinic(
        ctx, database_url, clinic, lambda uow: add_location(uow, place, on=clock.today())
    )
    print(f"location {name} added (id {new_id})")


@app.command("location-use")
def location_use_command(
    ctx: typer.Context,
    location_id: Annotated[int, typer.Argument(min=1, max=2**31 - 1)],
    use: Annotated[str, typer.Argument(help="'off' stops offering it for appointments; 'on'.")],
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Take a location out of use (or back into it); visits furnished there keep it."""
    from otbill.services.clinic.locations import set_location_active

    if use not in ("on", "off"):
        fail(f"use {use!r}: on or off")
    name = _in_clinic(
        ctx, database_url, clinic, lambda uow: set_location_active(uow, location_id, use == "on")
    )
    print(f"location {name} {'in use' if use == 'on' else 'taken out of use'}")


@app.command("add-provider")
def add_provider_command(
    ctx: typer.Context,
    first_name: Text,
    last_name: Text,
    credential: Annotated[str, Opt(help="OTR/L, OT, COTA, OTA, PT, PTA, SLP, CCC-SLP...")],
    npi: Annotated[str, Opt(help="The provider's individual NPI.")],
    taxonomy: Annotated[str, Opt()] = "225X00000X",
    supervisor_id: Annotated[int | None, Opt(help="Supervising therapist (assistants).")] = None,
    license_state: MaybeText = "",
    license_number: MaybeText = "",
    hired_on: Annotated[str | None, Opt(help="YYYY-MM-DD")] = None,
    terminated_on: Annotated[str | None, Opt(help="YYYY-MM-DD")] = None,
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """A provider (therapist or assistant) of the clinic."""
    from otbill.domain.clinic_setup import ProviderDetails
    from otbill.services.clinic.providers import add_provider_details

    details = ProviderDetails(
        0, npi, first_name, last_name, credential, taxonomy, supervisor_id, None,
        license_state or None, license_number or None,
        parse_date(hired_on, "--hired-on"), parse_date(terminated_on, "--terminated-on"),
    )  # fmt: skip
    new_id = _in_clinic(ctx, database_url, clinic, lambda uow: add_provider_details(uow, details))
    print(f"provider {first_name} {last_name}, {credential} added (id {new_id})")


@app.command("add-payer")
def add_payer_command(
    ctx: typer.Context,
    name: Text,
    payer_id: Annotated[str, Opt(help="The payer's EDI payer ID.")],
    profile: Annotated[str, Opt(help="Payer profile (billing rules) name.")],
    network: Annotated[str, Opt(help="in or out of network.")] = "in",
    timely_filing_days: Annotated[int | None, Opt()] = None,
    appeal_days: Annotated[int | None, Opt()] = None,
    contract_notes: MaybeText = "",
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """A payer with the clinic's contract terms."""
    from otbill.domain.clinic_setup import PayerTerms
    from otbill.services.clinic.payers import add_payer_terms

    known = setup_of(ctx).profiles()
    terms = PayerTerms(0, payer_id, name, profile, network, None, timely_filing_days,
                       appeal_days, contract_notes or None)  # fmt: skip
    new_id = _in_clinic(
        ctx, database_url, clinic, lambda uow: add_payer_terms(uow, terms, known_profiles=known)
    )
    print(f"payer {name} added (id {new_id})")


@app.command("set-fee")
def set_fee_command(
    ctx: typer.Context,
    code: Text,
    charge: Annotated[str, Opt(help="Charge per unit, dollars.")],
    rate: Annotated[str, Opt(help="Contracted (expected allowed) rate per unit, dollars.")],
    year: Annotated[int, Opt(min=2000, max=2100, help="The fee's year (from 1 January).")],
    payer_db_id: Annotated[
        int | None, Opt("--payer", help="Payer id; none: charge master.")
    ] = None,
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """A fee-schedule row: per code and year, for one payer or the clinic's charge master."""
    from otbill.services.clinic.payers import set_fee

    amounts = (_money(charge, "--charge"), _money(rate, "--rate"))
    new_id = _in_clinic(
        ctx, database_url, clinic,
        lambda uow: set_fee(uow, code=code, charge=amounts[0], allowed=amounts[1],
                            effective_from=dt.date(year, 1, 1), payer_id=payer_db_id),
    )  # fmt: skip
    print(f"fee {code} {year} saved (id {new_id})")


@app.command("add-overhead")
def add_overhead_command(
    ctx: typer.Context,
    month: Annotated[str, Opt(help="YYYY-MM")],
    category: Text,
    amount: Text,
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """One month's overhead cost of one category (rent, salaries...)."""
    from otbill.services.clinic.payers import add_overhead

    first = parse_date(f"{month}-01", "--month")
    assert first is not None
    value = _money(amount, "--amount")
    new_id = _in_clinic(
        ctx, database_url, clinic,
        lambda uow: add_overhead(uow, month=first, category=category, amount=value),
    )  # fmt: skip
    print(f"overhead {category} {month} saved (id {new_id})")


@app.command("add-user")
def add_user_command(
    ctx: typer.Context,
    username: Text,
    full_name: Text,
    role: Annotated[list[str], Opt(help="A role (repeat for more): therapist, biller, ...")],
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """A user of the clinic with roles (password from $OTBILL_ADMIN_PASSWORD, else asked)."""
    from otbill.services.clinic.identity import MIN_PASSWORD
    from otbill.services.clinic.setup import add_user

    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < MIN_PASSWORD:
        fail(f"password: at least {MIN_PASSWORD} characters")
    new_id = _in_clinic(
        ctx, database_url, clinic,
        lambda uow: add_user(uow, username=username, full_name=full_name, password=password,
                             roles=role),
    )  # fmt: skip
    print(f"user {username} added (id {new_id})")
