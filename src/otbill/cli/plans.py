"""``otbill plans physician|referral|add|from-evaluation|sign|recertify|show|queue|pdf``:
referring physicians, referrals and plans of care.

Thin: parse options, call :mod:`otbill.services.frontdesk.plans_of_care`, ``referrals`` or
``plan_queue``, print. Bad input (a bad NPI, a diagnosis that is not billable, a late signature
without its reason) is one line on stderr, exit 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otbill import clock
from otbill.cli.acting import Today, User, read_as_of, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date

if TYPE_CHECKING:
    from otbill.services.frontdesk.plan_queue import PlanLine

__all__ = ["app"]


app = typer.Typer(
    help="Referrals and plans of care: physicians, certification, recertification, the queue.",
    no_args_is_help=True,
)

Diagnoses = Annotated[str, typer.Option("--diagnoses", help="ICD-10-CM codes, comma-separated.")]
PlanId = Annotated[int, typer.Argument(help="The plan of care's id.")]


def _codes(text: str) -> list[str]:
    return [c for c in text.replace(",", " ").split() if c]


def _line(p: PlanLine) -> str:
    recert = p.recert_due.isoformat() if p.recert_due else "-"
    return (f"{p.plan_id:>6}  {p.patient_name:<24} {p.state.value:<24} start {p.start}  "
            f"sign by {p.certify_by}  recertify by {recert}  {p.physician_name}")  # fmt: skip


@app.command("physician")
def physician_command(
    ctx: typer.Context,
    first_name: Annotated[str, typer.Option("--first-name")],
    last_name: Annotated[str, typer.Option("--last-name")],
    npi: Annotated[str, typer.Option("--npi", help="The physician's individual NPI.")],
    user: User,
    fax: Annotated[str, typer.Option("--fax")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Add a referring/certifying physician."""
    from otbill.services.frontdesk.referrals import add_physician

    new = write_as(ctx, (database_url, clinic, user),
                 lambda uow: add_physician(uow, first_name=first_name, last_name=last_name,
                                           npi_number=npi, fax=fax, phone=phone))  # fmt: skip
    print(f"physician {new} added ({first_name} {last_name})")


@app.command("referral")
def referral_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Option("--patient", help="The patient's id.")],
    physician: Annotated[int, typer.Option("--physician", help="The physician's id.")],
    date: Annotated[str, typer.Option("--date", help="Referral date (YYYY-MM-DD).")],
    diagnoses: Diagnoses,
    user: User,
    note: Annotated[str, typer.Option("--note")] = "",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Record a physician's referral of a patient."""
    from otbill.services.frontdesk.referrals import record_referral

    on = parse_date(date, "--date") or dt.date.min
    new = write_as(ctx, (database_url, clinic, user),
                 lambda uow: record_referral(uow, patient_id=patient, physician_id=physician,
                                             referred_on=on, diagnoses=_codes(diagnoses),
                                             note=note))  # fmt: skip
    print(f"referral {new} recorded")


@app.command("add")
def add_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Option("--patient", help="The patient's id.")],
    physician: Annotated[int, typer.Option("--physician", help="The certifying physician's id.")],
    start: Annotated[str, typer.Option("--start", help="Start, the evaluation (YYYY-MM-DD).")],
    diagnoses: Diagnoses,
    goals: Annotated[str, typer.Option("--goals")],
    per_week: Annotated[int, typer.Option("--per-week", help="Visits per week (1-7).")],
    weeks: Annotated[int, typer.Option("--weeks", help="Duration in weeks (1-52).")],
    user: User,
    referral: Annotated[int | None, typer.Option("--referral")] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write a plan of care (it waits for the physician's signature)."""
    from otbill.services.frontdesk.plans_of_care import PlanInput, write_plan

    first = parse_date(start, "--start") or dt.date.min
    given = PlanInput(patient, physician, first, _codes(diagnoses), goals, per_week, weeks,
                      referral)  # fmt: skip
    new = write_as(ctx, (database_url, clinic, user), lambda uow: write_plan(uow, given))
    print(f"plan of care {new} written; sign by {first + dt.timedelta(days=30)}")


@app.command("from-evaluation")
def from_evaluation_command(
    ctx: typer.Context,
    visit: Annotated[int, typer.Argument(help="The visit with the signed evaluation.")],
    physician: Annotated[int, typer.Option("--physician", help="The certifying physician's id.")],
    diagnoses: Diagnoses,
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Start the plan of care from a signed evaluation (its goals and frequency carried over)."""
    from otbill.services.frontdesk.plans_of_care import plan_from_evaluation

    new = write_as(ctx, (database_url, clinic, user),
                 lambda uow: plan_from_evaluation(uow, visit, physician_id=physician,
                                                  diagnoses=_codes(diagnoses)))  # fmt: skip
    print(f"plan of care {new} started from visit {visit}")


@app.command("sign")
def sign_command(
    ctx: typer.Context,
    plan: PlanId,
    received: Annotated[str, typer.Option("--received", help="Date the signed plan came back.")],
    user: User,
    reason: Annotated[str, typer.Option("--reason", help="Why a late one was delayed.")] = "",
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Record the physician's signature (the certification) on a plan of care."""
    from otbill.services.frontdesk.plans_of_care import record_signature

    on = parse_date(received, "--received") or dt.date.min
    write_as(ctx, (database_url, clinic, user),
           lambda uow: record_signature(uow, plan, received_on=on, delay_reason=reason,
                                        today=clock.today()))  # fmt: skip
    print(f"plan of care {plan}: signature received {on}")


@app.command("recertify")
def recertify_command(
    ctx: typer.Context,
    plan: PlanId,
    user: User,
    goals: Annotated[str | None, typer.Option("--goals", help="New goals (default: same).")] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write the next 90-day plan continuing a certified one."""
    from otbill.services.frontdesk.plans_of_care import recertify

    new = write_as(ctx, (database_url, clinic, user), lambda uow: recertify(uow, plan, goals=goals))
    print(f"plan of care {new} written to recertify plan {plan}")


def _dump(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def _print_all(items: list[Any], as_json: bool, line: Callable[[Any], str]) -> None:
    """Records as a JSON list, or one line each."""
    if as_json:
        _dump([dataclasses.asdict(item) for item in items])
        return
    for item in items:
        print(line(item))


@app.command("queue")
def queue_command(
    ctx: typer.Context,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Plans awaiting the physician's signature, and those due for recertification."""
    from otbill.services.frontdesk.plan_queue import plan_queue

    lines = read_as_of(ctx, (database_url, clinic, today), plan_queue)
    if as_json:
        _dump([dataclasses.asdict(line) for line in lines])
        return
    waiting = [line for line in lines if line.awaiting_signature]
    due = [line for line in lines if not line.awaiting_signature]
    for name, rows in (("awaiting signature", waiting), ("recertification due", due)):
        print(f"{name} ({len(rows)})")
        for line in rows:
            print(_line(line))


@app.command("show")
def show_command(
    ctx: typer.Context,
    plan: PlanId,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """One plan of care."""
    from otbill.services.frontdesk.plan_queue import plan_page

    page = read_as_of(ctx, (database_url, clinic, today), lambda uow, on: plan_page(uow, plan, on))
    if as_json:
        _dump(dataclasses.asdict(page))
        return
    print(_line(page.line))
    p = page.plan
    print(f"  diagnoses {', '.join(p.diagnoses)}; {p.frequency_per_week}x/week for "
          f"{p.duration_weeks} weeks; signature received {p.certified_on or 'not yet'}")  # fmt: skip
    print(f"  goals: {p.goals}")
    if page.detail.delay_reason:
        print(f"  delayed certification: {page.detail.delay_reason}")


@app.command("pdf")
def pdf_command(
    ctx: typer.Context,
    plan: PlanId,
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write the plan-of-care certification request for the physician as a PDF."""
    from otbill.services.frontdesk.plan_queue import certification_request_pdf

    data = read_as_of(ctx, (database_url, clinic, None),
                 lambda uow, on: certification_request_pdf(uow, plan, on))  # fmt: skip
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"--out {out}: {exc.strerror}")
    print(f"wrote {out} ({len(data)} bytes)")


@app.command("physicians")
def physicians_command(
    ctx: typer.Context,
    search: Annotated[str, typer.Option("--search", help="Part of a name or NPI.")] = "",
    page: Annotated[int, typer.Option("--page", min=1, max=10_000)] = 1,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """List physicians (25 a page), by last name."""
    from otbill.services.frontdesk.referrals import find_physicians

    found = read_as_of(ctx, (database_url, clinic, None),
                  lambda uow, on: find_physicians(uow, search, page))  # fmt: skip
    _print_all(found, as_json, lambda p: f"{p.id:>6}  {p.last_name}, {p.first_name}  "
               f"NPI {p.npi}  fax {p.fax or '-'}")  # fmt: skip


@app.command("list")
def list_command(
    ctx: typer.Context,
    patient: Annotated[int, typer.Option("--patient", help="The patient's id.")],
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """A patient's plans of care, newest first."""
    from otbill.services.frontdesk.plan_queue import patient_plans

    lines = read_as_of(ctx, (database_url, clinic, today),
                  lambda uow, on: patient_plans(uow, patient, on))  # fmt: skip
    _print_all(lines, as_json, _line)
