"""What the record-keeping commands share: who acts, in which clinic, inside one unit of work.

A write runs as a named user (``--user``, recorded in the audit trail); a read runs as of
``--today``. A refusal from a service (an unknown record, a bad value) becomes one line on stderr
and exit status 2, like every other bad input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from otbill import clock
from otbill.cli.common import fail, parse_date
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.storage import Database, UnitOfWork

__all__ = ["Today", "User", "acting_in", "read_as_of", "read_in", "write_as"]

T = TypeVar("T")

User = Annotated[str, typer.Option("--user", help="Who does it (username; recorded in the audit).")]
Today = Annotated[str | None, typer.Option("--today", help="As of this date (default: today).")]


def _user_id(db: Database, clinic_id: int, username: str) -> int:
    from otbill.services.clinic.accounts import user_by_username

    with db.unit_of_work(clinic_id) as uow:
        user_id = user_by_username(uow, username)
    if user_id is None:
        fail(f"no user {username!r} in this clinic (--user)")
    return user_id


def acting_in(
    ctx: typer.Context, url: str | None, clinic: str | None, user: str
) -> tuple[Database, int, int]:
    """The database, the clinic's id and the acting user's id (or exit 2 naming the user)."""
    setup = setup_of(ctx)
    db = setup.database(url)
    clinic_id = setup.clinic_id(db, clinic)
    return db, clinic_id, _user_id(db, clinic_id, user)


def write_as(
    ctx: typer.Context,
    where: tuple[str | None, str | None, str],
    write: Callable[[UnitOfWork], T],
) -> T:
    """``write`` in one unit of work as the user; ``where`` is (database URL, clinic, user)."""
    from otbill.errors import OtbillError

    db, clinic_id, actor = acting_in(ctx, *where)
    try:
        with db.unit_of_work(clinic_id, actor) as uow:
            return write(uow)
    except OtbillError as exc:
        fail(str(exc))


def read_in(
    ctx: typer.Context,
    where: tuple[str | None, str | None],
    read: Callable[[UnitOfWork], T],
) -> T:
    """``read`` in one unit of work of the clinic; ``where`` is (database URL, clinic)."""
    return read_as_of(ctx, (*where, None), lambda uow, _on: read(uow))


def read_as_of(
    ctx: typer.Context,
    where: tuple[str | None, str | None, str | None],
    read: Callable[[UnitOfWork, dt.date], T],
) -> T:
    """``read`` in one unit of work as of ``--today``; ``where`` is (database URL, clinic, today)."""
    from otbill.errors import OtbillError

    url, clinic, today = where
    on = parse_date(today, "--today") or clock.today()
    setup = setup_of(ctx)
    db = setup.database(url)
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            return read(uow, on)
    except OtbillError as exc:
        fail(str(exc))
