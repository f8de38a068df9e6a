"""``otbill patients superbill ID --from --to -o F`` and ``otbill patients estimate ID -o F``:
a patient's superbill and Good Faith Estimate as PDF files (reads only; as of today, or
``OTBILL_TODAY``). Bad input is one line on stderr naming the field, exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from otbill import clock
from otbill.cli.common import Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of

__all__ = ["estimate_command", "superbill_command"]

Output = Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")]
PatientId = Annotated[int, typer.Argument(help="The patient's id.")]


def _write(path: Path, content: bytes, what: str) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"--output {path}: cannot write the {what} ({exc.strerror})")
    print(f"{what} written to {path} ({len(content):,} bytes)")


def superbill_command(
    ctx: typer.Context,
    patient_id: PatientId,
    output: Output,
    start: Annotated[str, typer.Option("--from", help="First day of visits (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day of visits (YYYY-MM-DD).")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A superbill of the patient's visits from --from to --to, as a PDF."""
    from otbill.domain.record_errors import NotFound
    from otbill.errors import OtbillError
    from otbill.pdf.superbill import render_superbill
    from otbill.services.frontdesk.patient_documents import superbill

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    assert first is not None and last is not None
    setup = setup_of(ctx)
    db = setup.database(database_url)
    try:
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            bill = superbill(uow, patient_id, first, last)
    except NotFound:
        fail(f"patient {patient_id}: no such patient in this clinic")
    except OtbillError as exc:
        fail(str(exc))
    _write(output, render_superbill(bill, issued_on=clock.today()), "superbill")
    print(f"{len(bill.lines)} services, charges {bill.total_charges}, paid {bill.total_paid}")


def estimate_command(
    ctx: typer.Context,
    patient_id: PatientId,
    output: Output,
    services: Annotated[
        str, typer.Option("--services", help="One visit's codes and units: '97530x2 97110'.")
    ] = "",
    visits: Annotated[
        int | None, typer.Option("--visits", help="Visits expected (default: from the plan).")
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """A Good Faith Estimate (45 CFR 149.610) for the patient, as a PDF."""
    from otbill.domain.record_errors import NotFound
    from otbill.errors import OtbillError
    from otbill.pdf.good_faith_estimate import render_good_faith_estimate
    from otbill.services.frontdesk.patient_documents import good_faith_estimate, parse_services

    setup = setup_of(ctx)
    db = setup.database(database_url)
    try:
        given = parse_services(services)
        with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
            estimate = good_faith_estimate(
                uow, patient_id, clock.today(), services=given, visits=visits
            )
    except NotFound:
        fail(f"patient {patient_id}: no such patient in this clinic")
    except OtbillError as exc:
        fail(str(exc))
    _write(output, render_good_faith_estimate(estimate), "Good Faith Estimate")
    print(f"{estimate.visits} visits, expected charges {estimate.total}")
