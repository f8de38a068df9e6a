"""``otbill auth add|log|status|request-278|show|queue``: prior authorizations and their channel.

Thin: parse options, call :mod:`otbill.services.frontdesk.authorizations` or the queue, print.
Bad input (an unknown user, a bad date, an illegal status move) is one line on stderr, exit 2.
``request-278`` asks the payer over 278 (:mod:`otbill.services.exchange.prior_auth`) through the
transport the options name (:mod:`otbill.cli.transports`; the payer simulator by default); a payer
that cannot be asked, or whose answer cannot be read, is one line on stderr, exit 2, nothing kept.
Mount::

    app.add_typer(authorizations.app, name="auth")
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otbill.cli.acting import Today, User, acting_in, read_as_of, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.transports import ReceiverOption, TransportOption, UrlOption

if TYPE_CHECKING:
    from otbill.services.frontdesk.authorization_queue import AuthorizationSummary
    from otbill.storage import UnitOfWork

__all__ = ["app"]


app = typer.Typer(
    help="Prior authorizations: request, log calls and replies, approve, the work queue.",
    no_args_is_help=True,
)

Owner = Annotated[str | None, typer.Option("--owner", help="Who owns the next step (username).")]
Due = Annotated[str | None, typer.Option("--due", help="Follow-up date (YYYY-MM-DD).")]
Codes = Annotated[
    str | None, typer.Option("--codes", help="CPT codes it is limited to, comma-separated.")
]
Visits = Annotated[int | None, typer.Option("--visits", help="Visits authorized.")]
Units = Annotated[int | None, typer.Option("--units", help="Units authorized.")]


def _owner(uow: UnitOfWork, username: str | None) -> int | None:
    from otbill.services.clinic.accounts import user_by_username

    if username is None:
        return None
    found = user_by_username(uow, username)
    if found is None:
        fail(f"--owner {username!r}: no such user in this clinic")
    return found


def _codes(text: str | None) -> list[str] | None:
    return [c for c in (text or "").split(",") if c.strip()] if text is not None else None


def _line(s: AuthorizationSummary) -> str:
    left = "" if s.usage.visits_left is None else f", {s.usage.visits_left} left"
    owner = f"  owner {s.owner}" if s.owner else ""
    follow = f"  follow up {s.follow_up}" if s.follow_up else ""
    return (
        f"{s.id:>6}  {s.number:<16} {s.status:<18} {s.start} to {s.end}  {s.patient} "
        f"({s.payer}, {s.priority})  {s.usage.visits_used} used{left}{owner}{follow}"
    )


def _dump(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


@app.command("add")
def add_command(
    ctx: typer.Context,
    coverage: Annotated[int, typer.Option("--coverage", help="The coverage's id.")],
    number: Annotated[str, typer.Option("--number", help="Authorization or request reference.")],
    start: Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")],
    user: User,
    codes: Codes = None,
    approved: Annotated[bool, typer.Option(help="Enter one the payer already approved.")] = False,
    visits: Visits = None,
    units: Units = None,
    note: Annotated[str, typer.Option(help="What was asked, and how.")] = "",
    owner: Owner = None,
    due: Due = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Open an authorization request on a coverage (or enter an approved one)."""
    from otbill.errors import OtbillError
    from otbill.services.frontdesk.authorizations import open_authorization

    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            auth_id = open_authorization(
                uow, coverage_id=coverage, number=number, start=first, end=last,  # type: ignore[arg-type]
                codes=_codes(codes) or (), status="approved" if approved else "requested",
                visits_authorized=visits, units_authorized=units, note=note,
                owner_id=_owner(uow, owner), due_on=parse_date(due, "--due"),
            )  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    print(f"authorization {auth_id} opened ({number})")


@app.command("log")
def log_command(
    ctx: typer.Context,
    authorization: Annotated[int, typer.Argument(help="The authorization's id.")],
    kind: Annotated[str, typer.Option("--kind", help="request, reply, call, fax, portal, ...")],
    user: User,
    text: Annotated[str, typer.Option("--text", help="What was said or done.")] = "",
    reference: Annotated[str | None, typer.Option(help="Call, fax or portal reference.")] = None,
    contact: Annotated[str | None, typer.Option(help="The person spoken to.")] = None,
    document: Annotated[str | None, typer.Option(help="Attached document's reference.")] = None,
    owner: Owner = None,
    due: Due = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Log a request, reply, call, fax, portal message or document on an authorization."""
    from otbill.errors import OtbillError
    from otbill.services.frontdesk.authorizations import log_entry

    due_on = parse_date(due, "--due")
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            log_entry(uow, authorization, kind=kind, text=text, reference=reference,
                      contact=contact, document=document, owner_id=_owner(uow, owner),
                      due_on=due_on)  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    print(f"authorization {authorization}: {kind} logged")


@app.command("status")
def status_command(
    ctx: typer.Context,
    authorization: Annotated[int, typer.Argument(help="The authorization's id.")],
    status: Annotated[str, typer.Argument(help="pending, approved, partially-approved, denied")],
    user: User,
    number: Annotated[str | None, typer.Option(help="The payer's authorization number.")] = None,
    visits: Visits = None,
    units: Units = None,
    codes: Codes = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day granted.")] = None,
    note: Annotated[str, typer.Option(help="The payer's words.")] = "",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Move an authorization's status, with what the payer granted."""
    from otbill.errors import OtbillError
    from otbill.services.frontdesk.authorizations import change_status

    last = parse_date(end, "--end")
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            change_status(uow, authorization, status=status, number=number,
                          visits_authorized=visits, units_authorized=units, end=last,
                          codes=_codes(codes), note=note)  # fmt: skip
    except OtbillError as exc:
        fail(str(exc))
    print(f"authorization {authorization}: {status}")


@app.command("request-278")
def request_278_command(
    ctx: typer.Context,
    authorization: Annotated[int, typer.Argument(help="The authorization's id.")],
    user: User,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Who follows up when pended (default: --user).")
    ] = None,
    transport: TransportOption = "simulator",
    url: UrlOption = "",
    receiver: ReceiverOption = "",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Ask the payer for a requested or pending authorization (278) and record its answer."""
    from otbill import clock
    from otbill.cli.setup import setup_of
    from otbill.cli.transports import describe, realtime_transport
    from otbill.services.exchange.prior_auth import request_authorization

    channel = realtime_transport("278", transport, url, receiver)
    profiles = setup_of(ctx).profiles()
    done = write_as(
        ctx,
        (database_url, clinic, user),
        lambda uow: request_authorization(
            uow, authorization, transport=channel, today=clock.today(), profiles=profiles,
            owner_id=_owner(uow, owner),
        ),
    )  # fmt: skip
    if as_json:
        _dump({"authorization_id": authorization, **dataclasses.asdict(done),
               "message": done.message})  # fmt: skip
        return
    print(f"authorization {authorization}, 278 request {done.trace} ({describe(transport, url)})")
    print(done.message)
    for line in done.lines:
        print(f"  {line}")


@app.command("show")
def show_command(
    ctx: typer.Context,
    authorization: Annotated[int, typer.Argument(help="The authorization's id.")],
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """One authorization: its running balance and its log in order."""
    from otbill.services.frontdesk.authorization_queue import authorization_page

    page = read_as_of(ctx, (database_url, clinic, today),
                 lambda uow, on: authorization_page(uow, authorization, on))  # fmt: skip
    if as_json:
        _dump(dataclasses.asdict(page))
        return
    from otbill.services.exchange.prior_auth import RAW_MARK

    print(_line(page.summary))
    for e in page.entries:
        extra = ", ".join(f"{k} {v}" for k, v in (("ref", e.reference), ("with", e.contact),
                          ("doc", e.document), ("owner", e.owner), ("due", e.due_on)) if v)  # fmt: skip
        said, raw, _ = e.text.partition(RAW_MARK)  # a 278 reply: its words; the raw 278 in --json
        text = "; ".join(said.splitlines()) + (" (the payer's 278 kept: --json)" if raw else "")
        print(f"  {e.at:%Y-%m-%d %H:%M}  {e.kind:<8} {e.author:<16} {text}  {extra}".rstrip())


@app.command("queue")
def queue_command(
    ctx: typer.Context,
    owner: Owner = None,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """What needs the front desk: pending, running out (14 days or 3 visits), denied."""
    from otbill.services.frontdesk.authorization_queue import authorization_queue

    queue = read_as_of(ctx, (database_url, clinic, today),
                  lambda uow, on: authorization_queue(uow, on, _owner(uow, owner)))  # fmt: skip
    buckets = {"pending": queue.pending, "running out": queue.running_out, "denied": queue.denied}
    if as_json:
        _dump({k: [dataclasses.asdict(s) for s in v] for k, v in buckets.items()})
        return
    for name, rows in buckets.items():
        print(f"{name} ({len(rows)})")
        for s in rows:
            print(_line(s))
