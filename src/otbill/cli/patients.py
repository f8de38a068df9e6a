"""``otbill patients add|search|show`` and ``otbill coverage add|end``: the front desk from a shell.

Writes name the user who does them (``--user``, recorded in the audit trail), who must hold the
front-desk, biller or admin role. Bad input is one line on stderr naming the field, exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from otbill import clock
from otbill.cli import patient_documents
from otbill.cli.acting import acting_in
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

if TYPE_CHECKING:
    from otbill.storage import UnitOfWork

__all__ = ["coverage_app", "patients_app"]

patients_app = typer.Typer(help="Register, find and show patients.", no_args_is_help=True)
coverage_app = typer.Typer(help="Add and end a patient's coverage.", no_args_is_help=True)
User = Annotated[str, typer.Option("--user", help="Who does it (username; recorded in the audit).")]
T = TypeVar("T")
_PRIORITIES = {"primary": 1, "secondary": 2, "tertiary": 3}


@contextmanager
def _errors_as_one_line() -> Iterator[None]:
    from otbill.errors import OtbillError

    try:
        yield
    except OtbillError as exc:
        fail(str(exc))


def _as_clerk(
    ctx: typer.Context,
    url: str | None,
    clinic: str | None,
    user: str | None,
    work: Callable[[UnitOfWork], T],
) -> T:
    """Run ``work`` in one unit of work, as ``user`` (checked to hold a front-desk role)."""
    from otbill.domain.lifecycle import Role
    from otbill.services.clinic.setup import require_role

    actor: int | None = None
    if user is None:
        setup = setup_of(ctx)
        db = setup.database(url)
        clinic_id = setup.clinic_id(db, clinic)
    else:
        db, clinic_id, actor = acting_in(ctx, url, clinic, user)
    with _errors_as_one_line(), db.unit_of_work(clinic_id, actor) as uow:
        if actor is not None:
            require_role(uow, actor, Role.FRONT_DESK, Role.BILLER)
        return work(uow)


def _address(value: str | None, option: str) -> tuple[str, str, str, str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 4:
        fail(f"{option} {value!r}: expected 'street, city, ST, ZIP'")
    return (parts[0], parts[1], parts[2], parts[3])


@patients_app.command("add")
def add_command(
    ctx: typer.Context,
    first: Annotated[str, typer.Option(help="Legal first name.")],
    last: Annotated[str, typer.Option(help="Legal last name.")],
    dob: Annotated[str, typer.Option(help="Date of birth, YYYY-MM-DD.")],
    sex: Annotated[str, typer.Option(help="F, M or U (unknown).")],
    user: User,
    address: Annotated[str | None, typer.Option(help="'street, city, ST, ZIP'.")] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    preferred_name: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option(help="Preferred language.")] = None,
    consent_on: Annotated[str | None, typer.Option(help="Consent signed, YYYY-MM-DD.")] = None,
    benefits_assigned_on: Annotated[str | None, typer.Option(help="AOB signed on.")] = None,
    self_pay: Annotated[bool, typer.Option("--self-pay", help="No insurance is billed.")] = False,
    duplicate_ok: Annotated[
        bool, typer.Option("--duplicate-ok", help="Register even if the name and birth date match.")
    ] = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Register a patient; prints the new patient's id and account number."""

    from otbill.domain.registration import Registration
    from otbill.services.frontdesk.registration import PatientDetails, register_patient

    born = parse_date(dob, "--dob")
    assert born is not None
    registration = Registration(
        preferred_name=preferred_name,
        phone=phone,
        email=email,
        preferred_language=language,
        consent_on=parse_date(consent_on, "--consent-on"),
        benefits_assigned_on=parse_date(benefits_assigned_on, "--benefits-assigned-on"),
        self_pay=self_pay,
    )
    details = PatientDetails(
        first, last, born, sex.upper(), _address(address, "--address"), registration
    )

    def work(uow: UnitOfWork) -> tuple[int, str | None]:
        pid = register_patient(
            uow, details, today=clock.today(), duplicate_acknowledged=duplicate_ok
        )
        return pid, uow.patients.registration(pid).account_number

    patient_id, account = _as_clerk(ctx, database_url, clinic, user, work)
    print(f"patient {patient_id} registered, account number {account}")


@patients_app.command("search")
def search_command(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="Name ('Lee' or 'Lee, Ann'), member ID or account.")
    ] = "",
    dob: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD.")] = None,
    page: Annotated[int, typer.Option(min=1, max=10_000)] = 1,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    as_json: AsJson = False,
) -> None:
    """Find patients, 25 a page, by name."""
    from otbill.services.frontdesk.registration import search_patients

    born = parse_date(dob, "--dob")
    found = _as_clerk(
        ctx,
        database_url,
        clinic,
        None,
        lambda uow: search_patients(uow, text=text, dob=born, page=page),
    )
    rows = [
        {
            "id": p.id,
            "account": p.mrn,
            "last_name": p.last_name,
            "first_name": p.first_name,
            "dob": p.dob.isoformat(),
        }
        for p in found.patients
    ]
    if as_json:
        json.dump(
            {"total": found.total, "page": found.page, "patients": rows}, sys.stdout, indent=2
        )
        print()
        return
    for r in rows:
        print(f"{r['id']:>7}  {r['account']:<10} {r['last_name']}, {r['first_name']}  {r['dob']}")
    print(f"{found.total} patient(s), page {found.page} of {found.pages}")


@patients_app.command("show")
def show_command(
    ctx: typer.Context,
    patient_id: Annotated[int, typer.Argument(help="The patient's id.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A patient's registration, coverage (with history) and documents."""

    from otbill.services.frontdesk.patient_file import patient_file

    file = _as_clerk(
        ctx, database_url, clinic, None, lambda uow: patient_file(uow, patient_id, clock.today())
    )
    p, reg = file.patient, file.registration
    print(
        f"{p.last_name}, {p.first_name}  born {p.dob}  sex {p.sex}  account {reg.account_number or p.mrn}"
    )
    for line in file.coverages:
        c = line.coverage
        state = "active" if line.active else "ended"
        print(
            f"  coverage {c.id}: priority {c.priority} {line.payer_name} member {c.member_id} "
            f"{c.effective_from} to {c.effective_to or 'open'} ({state})"
        )
    for d in file.documents:
        print(f"  document {d.id}: {d.kind} {d.filename} {d.content_type} {d.size_bytes} bytes")


def _money(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        fail(f"{option} {value!r}: expected an amount such as 25.00")


@coverage_app.command("add")
def coverage_add_command(
    ctx: typer.Context,
    patient_id: Annotated[int, typer.Argument(help="The patient's id.")],
    payer: Annotated[str, typer.Option(help="The payer's EDI payer id.")],
    member_id: Annotated[str, typer.Option(help="Member ID from the card.")],
    effective_from: Annotated[str, typer.Option("--from", help="Effective date, YYYY-MM-DD.")],
    user: User,
    effective_to: Annotated[str | None, typer.Option("--to", help="Termination date.")] = None,
    priority: Annotated[str, typer.Option(help="primary, secondary or tertiary.")] = "primary",
    group: Annotated[str | None, typer.Option(help="Group number.")] = None,
    plan: Annotated[str | None, typer.Option(help="Plan name.")] = None,
    copay: Annotated[str | None, typer.Option(help="Copay in dollars.")] = None,
    coinsurance: Annotated[int | None, typer.Option(help="Coinsurance percent.")] = None,
    deductible: Annotated[str | None, typer.Option(help="Deductible in dollars.")] = None,
    eligibility_checked: Annotated[
        str | None, typer.Option(help="An eligibility check already made: its date, YYYY-MM-DD.")
    ] = None,
    inactive: Annotated[
        bool, typer.Option("--inactive", help="That check found the coverage not active.")
    ] = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Add a coverage the patient holds themselves (member ID checked per the payer's profile)."""
    from otbill.services.frontdesk.coverage import CoverageDetails, enrol

    if priority not in _PRIORITIES:
        fail(f"--priority {priority!r}: primary, secondary or tertiary")
    start = parse_date(effective_from, "--from")
    assert start is not None
    checked = parse_date(eligibility_checked, "--eligibility-checked")
    if inactive and checked is None:
        fail("--inactive: give the check's date with --eligibility-checked")
    profiles = setup_of(ctx).profiles()

    def work(uow: UnitOfWork) -> int:
        found = uow.payers.by_code(payer)
        if found is None:
            fail(f"--payer {payer!r}: no payer with this payer id in the clinic")
        details = CoverageDetails(
            found.id,
            member_id,
            start,
            parse_date(effective_to, "--to"),
            _PRIORITIES[priority],
            group_number=group,
            plan_name=plan,
            copay=_money(copay, "--copay"),
            coinsurance_percent=coinsurance,
            deductible=_money(deductible, "--deductible"),
            eligibility_verified_on=checked,
            eligibility_active=(not inactive) if checked else None,
        )
        return enrol(uow, patient_id, details, profiles)

    print(f"coverage {_as_clerk(ctx, database_url, clinic, user, work)} added")


@coverage_app.command("end")
def coverage_end_command(
    ctx: typer.Context,
    coverage_id: Annotated[int, typer.Argument(help="The coverage's id.")],
    last_day: Annotated[str, typer.Option(help="The last day covered, YYYY-MM-DD.")],
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """End a coverage (claims billed to it keep it)."""
    from otbill.services.frontdesk.coverage import end_coverage

    day = parse_date(last_day, "--last-day")
    assert day is not None

    def work(uow: UnitOfWork) -> Any:
        end_coverage(uow, coverage_id, day)

    _as_clerk(ctx, database_url, clinic, user, work)
    print(f"coverage {coverage_id} ends on {day}")


@coverage_app.command("check")
def coverage_check_command(
    ctx: typer.Context,
    coverage_id: Annotated[int, typer.Argument(help="The coverage's id.", min=1, max=2**31 - 1)],
    checked_on: Annotated[str, typer.Option("--on", help="The day the payer was asked.")],
    user: User,
    inactive: Annotated[
        bool, typer.Option("--inactive", help="The payer said the coverage is not active.")
    ] = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Record an eligibility check made by phone or the payer's portal."""

    from otbill.services.frontdesk.coverage import record_eligibility_check

    day = parse_date(checked_on, "--on")
    assert day is not None
    today = clock.today()

    def work(uow: UnitOfWork) -> Any:
        record_eligibility_check(uow, coverage_id, on=day, active=not inactive, today=today)

    _as_clerk(ctx, database_url, clinic, user, work)
    print(f"coverage {coverage_id}: eligibility checked on {day}, "
          f"{'not active' if inactive else 'active'}")  # fmt: skip


# a patient's superbill and Good Faith Estimate as PDFs (otbill.cli.patient_documents)
patients_app.command("superbill")(patient_documents.superbill_command)
patients_app.command("estimate")(patient_documents.estimate_command)
