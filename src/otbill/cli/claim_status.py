"""``otbill claims status``: the claim status follow-up queue, and asking the payer (276/277).

``otbill claims status --follow-up`` lists the claims sent with no 277CA acceptance and no 835
after their payer's ``status_follow_up_days``; ``otbill claims status CLAIM --user U`` asks the
payer about one claim (by id or number) over 276/277 — the payer simulator in-process, or a
clearinghouse with ``--transport core|soap|json --url ... --receiver ...`` (see
:mod:`otbill.cli.transports`) — and prints the status in plain words, which is also written on
the claim's history and audited. A
missing claim, a claim never sent or an unreadable 277 is one line on stderr and exit status 2.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer

from otbill import clock
from otbill.cli.acting import Today, read_as_of, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of
from otbill.cli.transports import ReceiverOption, TransportOption, UrlOption, realtime_transport

if TYPE_CHECKING:
    from otbill.storage import UnitOfWork

__all__ = ["status_command"]


def _claim_id(uow: UnitOfWork, claim: str) -> int:
    from otbill.domain.record_errors import NotFound

    if claim.isascii() and claim.isdigit() and len(claim) < 19:
        return uow.claims.get(int(claim)).id
    found = uow.claims.by_number(claim)
    if found is None:
        raise NotFound("claim", claim)
    return found.id


def _follow_up(
    ctx: typer.Context, where: tuple[str | None, str | None, str | None], as_json: bool
) -> None:
    from otbill.services.exchange.claim_status import follow_up_queue

    profiles = setup_of(ctx).profiles()
    due = read_as_of(ctx, where, lambda uow, on: follow_up_queue(uow, today=on, profiles=profiles))
    if as_json:
        rows = [{"claim_id": f.claim.id, "number": f.claim.number, "sent_on": f.sent_on.isoformat(),
                 "days_waiting": f.days_waiting, "due_after_days": f.due_after_days} for f in due]  # fmt: skip
        print(json.dumps(rows, indent=2))
        return
    if not due:
        print("no claim is waiting past its payer's follow-up days")
        return
    print(f"{len(due)} claim(s) to follow up with a 276:")
    for f in due:
        c = f.claim
        print(f"  claim {c.number} (id {c.id}): sent {f.sent_on}, {f.days_waiting} days without "
              f"an answer (payer expects one within {f.due_after_days}), {c.total_charge_cents / 100:.2f}")  # fmt: skip


def status_command(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Argument(help="Claim id or number to ask about.")] = None,
    follow_up: Annotated[
        bool, typer.Option("--follow-up", help="List the claims waiting past their payer's days.")
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="Who asks (username; recorded in the audit).")
    ] = None,
    today: Today = None,
    transport: TransportOption = "simulator",
    url: UrlOption = "",
    receiver: ReceiverOption = "",
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Claim status over 276/277: the follow-up queue, or ask the payer about one claim."""
    if follow_up == (claim is not None):
        fail("give either --follow-up or a CLAIM (id or number), not both or neither")
    if follow_up:
        _follow_up(ctx, (database_url, clinic, today), as_json)
        return
    assert claim is not None
    if not user:
        fail("--user: who asks the payer is recorded on the claim's history")
    from otbill.services.exchange.claim_status import check_status

    on: dt.date = parse_date(today, "--today") or clock.today()
    payer = realtime_transport("276", transport, url, receiver)
    result = write_as(
        ctx,
        (database_url, clinic, user),
        lambda uow: check_status(uow, _claim_id(uow, claim), today=on, transport=payer),
    )
    if as_json:
        print(json.dumps({"claim_id": result.claim_id, "outcome": result.outcome,
                          "words": result.words, "work_item_id": result.work_item_id}, indent=2))  # fmt: skip
        return
    print(f"claim {claim}: {result.outcome} — {result.words}")
    if result.work_item_id is not None:
        print(f"queued for a person (work item {result.work_item_id}): resubmit or call the payer")
