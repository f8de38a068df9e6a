"""``otbill schedule book|list|cancel|check-in``: the schedule from a shell.

Thin: parse options, call :mod:`otbill.services.frontdesk.schedule` (and ``checkin``), print the
warnings in plain words. Writes name the user (``--user``, front desk, biller or admin; recorded
in the audit trail). Bad input is one line on stderr naming the option, exit 2.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otbill import clock
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.patients import User, _as_clerk
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.services.visits.warnings import VisitWarning
    from otbill.storage import UnitOfWork

__all__ = ["app"]

app = typer.Typer(
    help="The schedule: book (once or weekly), list a day or week, show, cancel, check in, no-show.",
    no_args_is_help=True,
)


# The first words of an input error name the field; the option the user typed for it.
_OPTIONS = {"therapist": "--therapist", "patient": "--patient", "date": "--date",
            "start time": "--start", "duration": "--minutes", "weeks": "--weeks",
            "weekdays": "--weekdays", "location": "--location", "coverage": "--coverage"}  # fmt: skip


def _print_warnings(warnings: Sequence[VisitWarning]) -> None:
    for w in warnings:
        print(f"  {w.severity}: {w.message}")


@app.command("book")
def book_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Option(help="The patient's id.")],
    therapist: Annotated[int, typer.Option(help="The therapist's provider id.")],
    date: Annotated[str, typer.Option(help="Day, YYYY-MM-DD (the first of a series).")],
    start: Annotated[str, typer.Option(help="Start time, HH:MM.")],
    user: User,
    minutes: Annotated[str, typer.Option(help="Length in minutes (5-480).")] = "45",
    visit_type: Annotated[
        str, typer.Option(help="evaluation, re-evaluation, daily or progress.")
    ] = "daily",
    location: Annotated[int | None, typer.Option(help="Location id.")] = None,
    coverage: Annotated[
        int | None, typer.Option(help="Coverage id (default: the primary on the day).")
    ] = None,
    weekdays: Annotated[str, typer.Option(help="Repeat weekly on these days: mon,wed.")] = "",
    weeks: Annotated[str, typer.Option(help="For this many weeks (1-52).")] = "1",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Book an appointment or a weekly series; prints the ids and the warnings."""
    from otbill.errors import OtbillError
    from otbill.services.frontdesk import schedule
    from otbill.services.frontdesk.schedule_input import slot_from_text

    values = {"patient": str(patient), "provider": str(therapist), "date": date, "start": start,
              "minutes": minutes, "visit_type": visit_type, "location": str(location or ""),
              "coverage": str(coverage or ""), "weekdays": weekdays, "weeks": weeks}  # fmt: skip
    try:
        asked = slot_from_text(values)
    except OtbillError as exc:
        option = next((o for label, o in _OPTIONS.items() if str(exc).startswith(label)), "")
        fail(f"{option}: {exc}" if option else str(exc))
    profiles = setup_of(ctx).profiles()

    def work(uow: UnitOfWork) -> schedule.Booking:
        return schedule.book(uow, asked.slot, profiles=profiles, weekdays=asked.weekdays,
                             weeks=asked.weeks)  # fmt: skip

    made = _as_clerk(ctx, database_url, clinic, user, work)
    ids = ", ".join(str(i) for i in made.appointment_ids)
    print(f"booked appointment{'s' if len(made.appointment_ids) > 1 else ''} {ids}")
    _print_warnings(made.warnings)


@app.command("list")
def list_command(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option(help="The day, YYYY-MM-DD (default: today).")] = None,
    week: Annotated[bool, typer.Option("--week", help="The whole week of the day.")] = False,
    therapist: Annotated[int | None, typer.Option(help="Only this provider id.")] = None,
    location: Annotated[int | None, typer.Option(help="Only this location id.")] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """A day's (or week's) appointments, by time."""
    from otbill.services.frontdesk.schedule_views import schedule_view, week_of

    shown = parse_date(day, "--day") or clock.today()
    first, last = week_of(shown) if week else (shown, shown)
    found = _as_clerk(ctx, database_url, clinic, None, lambda uow: schedule_view(
        uow, first, last, provider_id=therapist, location_id=location))  # fmt: skip
    rows = [r for _, day_rows in found.days for r in day_rows]
    if as_json:
        json.dump([dataclasses.asdict(r) for r in rows], sys.stdout, indent=2, default=str)
        print()
        return
    for r in rows:
        print(f"{r.id:>6}  {r.date} {r.starts}-{r.ends}  {r.patient:<24} {r.therapist:<22} "
              f"{r.visit_type:<13} {r.status}")  # fmt: skip
    print(f"{len(rows)} appointment(s) from {first} to {last}")


@app.command("cancel")
def cancel_command(
    ctx: typer.Context,
    appointment: Annotated[int, typer.Argument(help="The appointment's id.")],
    user: User,
    rest: Annotated[
        bool, typer.Option("--rest-of-series", help="Also the later ones of its series.")
    ] = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Cancel an appointment (or it and the rest of its series)."""
    from otbill.services.frontdesk.schedule import cancel

    count = _as_clerk(ctx, database_url, clinic, user,
                      lambda uow: cancel(uow, appointment, rest_of_series=rest))  # fmt: skip
    print(f"cancelled {count} appointment(s)")


@app.command("check-in")
def check_in_command(
    ctx: typer.Context,
    appointment: Annotated[int, typer.Argument(help="The appointment's id.")],
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The patient arrived: the appointment becomes a visit on the therapist's day (once)."""
    from otbill.services.frontdesk.checkin import check_in

    profiles = setup_of(ctx).profiles()
    done = _as_clerk(ctx, database_url, clinic, user,
                     lambda uow: check_in(uow, appointment, profiles=profiles))  # fmt: skip
    word = "already checked in" if done.already else "checked in"
    print(f"appointment {appointment} {word}: visit {done.visit_id}")
    _print_warnings(done.warnings)


@app.command("no-show")
def no_show_command(
    ctx: typer.Context,
    appointment: Annotated[int, typer.Argument(help="The appointment's id.")],
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The patient did not come: the appointment stays on the record as a no-show."""
    from otbill.services.frontdesk.schedule import mark_no_show

    _as_clerk(ctx, database_url, clinic, user, lambda uow: mark_no_show(uow, appointment))
    print(f"appointment {appointment}: no-show")


@app.command("show")
def show_command(
    ctx: typer.Context,
    appointment: Annotated[int, typer.Argument(help="The appointment's id.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """One appointment and its warnings (coverage, eligibility, authorization, plan of care,
    progress report, KX)."""
    from otbill.services.frontdesk.booking_warnings import booking_warnings
    from otbill.services.frontdesk.schedule_views import appointment_view

    profiles = setup_of(ctx).profiles()

    def read(uow: UnitOfWork) -> tuple[Any, list[VisitWarning]]:
        found = uow.schedule.get(appointment)
        return appointment_view(uow, appointment), booking_warnings(uow, found, profiles)

    view, warnings = _as_clerk(ctx, database_url, clinic, None, read)
    print(f"{view.id}  {view.date} {view.starts}-{view.ends}  {view.patient}  with "
          f"{view.therapist}  {view.visit_type}  {view.status}")  # fmt: skip
    _print_warnings(warnings)
    if not warnings:
        print("  nothing to warn about")
