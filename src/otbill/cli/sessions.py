"""``otbill sessions list|end``: who is logged in, and ending a user's sessions (an admin's job:
a lost laptop, a departing employee, a suspected stolen cookie)."""

from __future__ import annotations

from typing import Annotated

import typer

from otbill.cli.acting import User, write_as
from otbill.cli.common import Clinic, DatabaseUrl, fail
from otbill.cli.setup import setup_of

__all__ = ["app"]

app = typer.Typer(help="List and end users' login sessions.", no_args_is_help=True)

Whose = Annotated[str, typer.Option("--username", help="Whose sessions (username).")]


@app.command("list")
def list_command(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Option(help="Only this user's sessions.")] = None,
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The clinic's live sessions, most recently used first."""
    from otbill.services.clinic.accounts import user_by_username
    from otbill.services.clinic.sessions import live_sessions

    setup = setup_of(ctx)
    db = setup.database(database_url)
    with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
        names = {u.id: u.username for u in uow.users.accounts()}
        wanted = None
        if username is not None:
            wanted = user_by_username(uow, username)
            if wanted is None:
                fail(f"no user {username!r} in this clinic (--username)")
        found = live_sessions(uow, wanted)
    for s in found:
        print(
            f"{names.get(s.user_id, s.user_id)}: since {s.created_at:%Y-%m-%d %H:%M} UTC, "
            f"last used {s.last_seen_at:%Y-%m-%d %H:%M} UTC, from {s.address or '?'}"
        )
    print(f"{len(found)} live session(s)")


@app.command("end")
def end_command(
    ctx: typer.Context,
    username: Whose,
    user: User,
    clinic: Clinic = None,
    database_url: DatabaseUrl = None,
) -> None:
    """End every session of a user now (they must log in again); audited."""
    from otbill.services.clinic.accounts import user_by_username
    from otbill.services.clinic.sessions import end_user_sessions

    def end(uow):  # type: ignore[no-untyped-def]
        whose = user_by_username(uow, username)
        if whose is None:
            fail(f"no user {username!r} in this clinic (--username)")
        return end_user_sessions(uow, whose, "admin")

    ended = write_as(ctx, (database_url, clinic, user), end)
    print(f"{ended} session(s) of {username} ended")
