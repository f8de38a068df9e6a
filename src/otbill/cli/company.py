"""``otbill company create|add-user|grant|revoke|password|deactivate|reactivate|list``: billing
companies over many clinics.

The server's operator creates a company and its owner, and grants clinics (each grant makes a
linked user in the clinic, audited there); the owner grants further clinics to the company's
users on the company admin page. A company user changes their own password (``password``); the
operator deactivates a user (their sessions end at once, in every clinic) or reactivates them.
A refusal is one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from otbill.cli.common import DatabaseUrl, fail
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.services.clinic.companies import CompanyUser
    from otbill.storage import Database

__all__ = ["app"]

app = typer.Typer(
    help="Billing companies: their users and the clinics granted to them.", no_args_is_help=True
)

PASSWORD_ENV = "OTBILL_COMPANY_PASSWORD"
CURRENT_PASSWORD_ENV = "OTBILL_COMPANY_CURRENT_PASSWORD"
Code = Annotated[str, typer.Argument(help="The company's code (its users log in with it).")]
Username = Annotated[str, typer.Argument(help="The company user's user name.")]
ClinicCode = Annotated[str, typer.Argument(help="The clinic's code.")]


T = TypeVar("T")


def _refused(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    from otbill.domain.record_errors import RecordError

    try:
        return call(*args, **kwargs)
    except RecordError as exc:
        fail(str(exc))


def _user_and_clinic(
    ctx: typer.Context, database_url: str | None, code: str, username: str, clinic: str
) -> tuple[Database, CompanyUser, int]:
    from otbill.services.clinic.companies import company_by_code, company_users

    setup = setup_of(ctx)
    db = setup.database(database_url)
    if company_by_code(db, code) is None:
        fail(f"no billing company with code {code!r}")
    found = [u for u in company_users(db, code) if u.username.lower() == username.lower()]
    if not found:
        fail(f"no user {username!r} in company {code.upper()}")
    return db, found[0], setup.clinic_id(db, clinic)


@app.command("create")
def create_command(
    ctx: typer.Context,
    code: Code,
    name: Annotated[str, typer.Argument(help="The company's name.")],
    database_url: DatabaseUrl = None,
) -> None:
    """A new billing company (its code must not be a clinic's)."""
    from otbill.services.clinic.companies import create_company

    db = setup_of(ctx).database(database_url)
    _refused(create_company, db, code, name)
    print(f"company {code.upper()} created")


@app.command("add-user")
def add_user_command(
    ctx: typer.Context,
    code: Code,
    username: Username,
    full_name: Annotated[str, typer.Option("--name", help="The user's full name.")] = "",
    owner: Annotated[
        bool, typer.Option("--owner", help="May grant the company's clinics.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """A company user with their own password (asked, or $OTBILL_COMPANY_PASSWORD)."""
    from otbill.services.clinic.companies import add_company_user

    db = setup_of(ctx).database(database_url)
    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    _refused(add_company_user, db, code, username, full_name, password, owner=owner)
    print(f"user {username} added to {code.upper()}" + (" (owner)" if owner else ""))


@app.command("grant")
def grant_command(
    ctx: typer.Context,
    code: Code,
    username: Username,
    clinic: ClinicCode,
    role: Annotated[list[str], typer.Option("--role", help="A role in the clinic (repeat).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Give a company user a clinic with roles (again after a revoke; new roles if granted)."""
    from otbill.services.clinic.companies import grant_clinic

    db, user, clinic_id = _user_and_clinic(ctx, database_url, code, username, clinic)
    _refused(grant_clinic, db, user.id, clinic_id, role, actor_id=None, by="command line")
    print(
        f"{code.upper()}/{user.username} may work in {clinic.upper()} as {', '.join(sorted(role))}"
    )


@app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    code: Code,
    username: Username,
    clinic: ClinicCode,
    database_url: DatabaseUrl = None,
) -> None:
    """End a company user's access to a clinic now (their sessions there end too)."""
    from otbill.services.clinic.companies import revoke_clinic

    db, user, clinic_id = _user_and_clinic(ctx, database_url, code, username, clinic)
    ended = _refused(revoke_clinic, db, user.id, clinic_id, actor_id=None, by="command line")
    print(
        f"{code.upper()}/{user.username} no longer works in {clinic.upper()} ({ended} session(s) ended)"
    )


@app.command("password")
def password_command(
    ctx: typer.Context, code: Code, username: Username, database_url: DatabaseUrl = None
) -> None:
    """Change your own password: the current one, then the new one (asked, or
    $OTBILL_COMPANY_CURRENT_PASSWORD and $OTBILL_COMPANY_PASSWORD). Your sessions end."""
    from otbill.services.clinic.company_users import change_company_password, company_user_named

    db = setup_of(ctx).database(database_url)
    user = _refused(company_user_named, db, code, username)
    current = os.environ.get(CURRENT_PASSWORD_ENV) or typer.prompt(
        "Current password", hide_input=True
    )
    new = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "New password", hide_input=True, confirmation_prompt=True
    )
    changed = _refused(change_company_password, db, user, current, new, by="command line")
    print(f"password of {user.company_code}/{user.username} changed; "
          f"{changed.sessions_ended} session(s) ended: log in again")  # fmt: skip


def _set_active(ctx: typer.Context, database_url: str | None, code: str, username: str,
                active: bool) -> None:  # fmt: skip
    from otbill.services.clinic.company_users import company_user_named, set_company_user_active

    db = setup_of(ctx).database(database_url)
    user = _refused(company_user_named, db, code, username)
    changed = _refused(set_company_user_active, db, user, active, by="command line")
    name = f"{user.company_code}/{user.username}"
    if active:
        print(f"{name} reactivated: may log in again ({changed.clinics} clinic(s) granted)")
    else:
        print(f"{name} deactivated: no login; {changed.sessions_ended} session(s) ended")


@app.command("deactivate")
def deactivate_command(
    ctx: typer.Context, code: Code, username: Username, database_url: DatabaseUrl = None
) -> None:
    """Stop a company user now: no login, and their sessions end in every clinic."""
    _set_active(ctx, database_url, code, username, False)


@app.command("reactivate")
def reactivate_command(
    ctx: typer.Context, code: Code, username: Username, database_url: DatabaseUrl = None
) -> None:
    """Let a deactivated company user log in again (the clinics still granted come back)."""
    _set_active(ctx, database_url, code, username, True)


@app.command("list")
def list_command(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    """Every company, its users, and the clinics each is granted now."""
    from otbill.services.clinic.companies import company_users, granted_clinics, list_companies

    db = setup_of(ctx).database(database_url)
    found = list_companies(db)
    for company in found:
        print(f"{company.code}: {company.name}")
        for user in company_users(db, company.code):
            clinics = ", ".join(
                f"{g.clinic_code} ({'/'.join(g.roles)})" for g in granted_clinics(db, user.id)
            )
            flags = (" (owner)" if user.owner else "") + ("" if user.active else " (deactivated)")
            print(f"  {user.username}{flags}: {clinics or 'no clinics'}")
    print(f"{len(found)} compan{'y' if len(found) == 1 else 'ies'}")
