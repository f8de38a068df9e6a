"""``otbill denials show|packet|checks``: a denial's cause and deadline, its appeal packet as a PDF,
and the prevention checks proposed from recurring denials.

``show DENIAL`` prints the codes, the root cause with its fix, the appeal level and deadline, the
packet's state and what was recovered. ``packet DENIAL --user U --out FILE`` writes the packet PDF
(the final one as kept, or the draft as it would print; a first call drafts the letter, audited
as the user). ``checks`` lists the prevention checks by status. A refusal is one line, exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from otbill.cli.acting import Today, User, read_as_of, write_as
from otbill.cli.common import Clinic, DatabaseUrl

__all__ = ["app"]

app = typer.Typer(help="Denials: cause, deadline, appeal packet; prevention checks.",
                  no_args_is_help=True)  # fmt: skip

Denial = Annotated[int, typer.Argument(help="The denial's id (as on /denials).")]


@app.command("show")
def show(
    denial: Denial,
    ctx: typer.Context,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A denial's codes, root cause and fix, appeal level and deadline, packet, recovered."""
    from otbill.services.views.denial_page import denial_detail

    d = read_as_of(
        ctx, (database_url, clinic, today), lambda uow, on: denial_detail(uow, denial, on)
    )
    print(f"denial {d.id}: claim {d.claim_number} ({d.claim_status}), {d.payer}, "
          f"${d.amount:,.2f} denied on {d.denied_on}")  # fmt: skip
    for code, words, _amount, note in d.codes:
        print(f"  {code}: {words}" + (f" ({note})" if note else ""))
    for code, words, note in d.remarks:
        print(f"  {code}: {words}" + (f" ({note})" if note else ""))
    print(f"cause: {d.cause.title}. {d.cause.words}")
    print(f"fix: {d.cause.fix}")
    deadline = d.packet.deadline if d.packet else d.level.deadline
    left = f"{d.days_left} days left" if d.days_left >= 0 else f"passed {-d.days_left} days ago"
    print(f"appeal: level {d.level.level} {d.level.name} by {d.level.decides}, by {deadline} "
          f"({left})")  # fmt: skip
    if d.packet:
        print(f"packet: {d.letter_title}, {d.packet.status}"
              + (f", sent {d.packet.sent_on}" if d.packet.sent_on else ""))  # fmt: skip
    if d.appeal:
        print(f"outcome: {d.outcome}, recovered ${d.recovered:,.2f}")


@app.command("packet")
def packet(
    denial: Denial,
    ctx: typer.Context,
    user: User,
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write the denial's appeal packet PDF (drafting the letter the first time)."""
    from otbill.services.denials.packet import packet_pdf

    data = write_as(ctx, (database_url, clinic, user), lambda uow: packet_pdf(uow, denial))
    out.write_bytes(data)
    print(f"wrote the appeal packet of denial {denial} to {out} ({len(data):,} bytes)")


@app.command("checks")
def checks(
    ctx: typer.Context,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The prevention checks: proposed, accepted (in force: a CLN001 hold, or a change to the
    payer's profile) and dismissed."""
    from otbill.services.views.denial_page import prevention_checks, profile_change_words

    changes = profile_change_words()

    found = read_as_of(ctx, (database_url, clinic, today), lambda uow, _on: prevention_checks(uow))
    if not any(found.values()):
        print("no prevention checks yet")
    for status, items in found.items():
        for c in items:
            pair = f" with {c.with_code}" if c.with_code else ""
            what = f"payer profile: {changes[c.cause]}" if c.profile_change else c.cause
            print(f"{c.id} {status}: {c.payer_name} {c.code}{pair} CARC {c.carc} "
                  f"({what}) {c.denials}x {c.first_on}..{c.last_on}")  # fmt: skip
