"""Import from the old system (both backends): the template files import, bad rows are named by
row and column and stop the import, --skip-bad-rows keeps the good ones, re-runs change nothing,
opening balances post once, appointments are booked by the schedule's service."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from otbill.domain.clinic_setup import Address, Location
from otbill.payers import load_profiles
from otbill.services.frontdesk.csv_import import ImportReport, digest_of, import_rows
from otbill.services.patient_account import account_of
from otbill.storage import Database
from support.clinickit import Ids, seed_clinic

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "import"
PROFILES = load_profiles([])
TODAY = dt.date(2025, 3, 1)


def _import(
    db: Database,
    ids: Ids,
    kind: str,
    text: str,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
) -> ImportReport:
    rows = list(csv.DictReader(io.StringIO(text)))
    return import_rows(
        db, ids.clinic, ids.admin, kind, rows, digest=digest_of(text.encode()),
        profiles=PROFILES, today=TODAY, dry_run=dry_run, skip_bad_rows=skip_bad_rows,
    )  # fmt: skip


def _template(kind: str) -> str:
    return (TEMPLATES / f"{kind}.csv").read_text()


def _count_patients(db: Database, ids: Ids) -> int:
    with db.unit_of_work(ids.clinic) as uow:
        return len(uow.patients.by_ids(None))


def test_the_templates_import_in_order_and_a_rerun_changes_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    before = _count_patients(db, ids)
    for kind in ("providers", "patients", "coverages", "balances"):
        report = _import(db, ids, kind, _template(kind))
        assert report.refused == [] and report.imported == 2 and report.written, kind
    assert _count_patients(db, ids) == before + 2
    with db.unit_of_work(ids.clinic) as uow:
        maya = uow.imports.mapped("legacy", "patients")["P-1001"]
        assert uow.patients.get(maya).last_name == "Ortiz"
        assert uow.patients.registration(maya).email == "maya@example.org"
        cov = uow.patients.coverages([maya])[0]
        assert cov.member_id == "1EG4TE5MK72" and cov.priority == 1
        cota = uow.imports.mapped("legacy", "providers")["T-2"]
        assert (
            uow.providers.details_of(cota).supervisor_id
            == uow.imports.mapped("legacy", "providers")["T-1"]
        )
        account = account_of(uow, maya)
        (entry,) = account.entries
        assert (entry.amount, entry.on, account.total) == (
            Decimal("45.00"), dt.date(2024, 12, 31), Decimal("45.00"))  # fmt: skip
        assert entry.source.startswith("opening balance from legacy: import file ")
        assert entry.source.endswith(", row 2, old ID B-1")
        assert entry.provider_id == uow.imports.mapped("legacy", "providers")["T-1"]
        assert uow.ledger.postings() == []  # no made-up claim carries it
        entries = len(uow.patient_account.of_patients())
    for kind in ("providers", "patients", "coverages", "balances"):
        again = _import(db, ids, kind, _template(kind))
        assert again.imported == 0 and again.unchanged == 2 and again.refused == [], kind
    assert _count_patients(db, ids) == before + 2
    with db.unit_of_work(ids.clinic) as uow:
        assert len(uow.patient_account.of_patients()) == entries


BAD_PATIENTS = """old_id,first_name,last_name,dob,sex,address_line1,city,state,zip
A1,Ann,Good,1950-01-02,F,1 Main St,Austin,TX,78701
A2,Bob,Bad,1950-13-02,M,,,,
A3,Cy,Worse,1951-01-02,Q,,,,
A4,Di,Fine,1952-03-04,F,2 Main St,Austin,Texas,78701
"""


def test_a_file_with_bad_rows_imports_nothing_and_names_row_and_column(db: Database) -> None:
    ids = seed_clinic(db)
    before = _count_patients(db, ids)
    report = _import(db, ids, "patients", BAD_PATIENTS)
    assert not report.written and report.imported == 0 and report.rows == 4
    found = {(p.row, p.column) for p in report.refused}
    assert found == {(3, "dob"), (4, "sex"), (5, "address_line1")}
    assert "row 3, column dob: '1950-13-02' is not a date" in str(report.refused[0])
    assert _count_patients(db, ids) == before
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.imports.mapped("legacy", "patients") == {}


def test_skip_bad_rows_imports_the_good_ones_and_a_dry_run_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    before = _count_patients(db, ids)
    dry = _import(db, ids, "patients", BAD_PATIENTS, dry_run=True, skip_bad_rows=True)
    assert not dry.written and len(dry.refused) == 3
    assert _count_patients(db, ids) == before
    report = _import(db, ids, "patients", BAD_PATIENTS, skip_bad_rows=True)
    assert report.written and report.imported == 1 and len(report.refused) == 3
    assert _count_patients(db, ids) == before + 1
    with db.unit_of_work(ids.clinic) as uow:
        assert set(uow.imports.mapped("legacy", "patients")) == {"A1"}


def test_coverage_rows_are_checked_by_the_coverage_service(db: Database) -> None:
    ids = seed_clinic(db)
    _import(db, ids, "patients", _template("patients"))
    text = (
        "old_id,old_patient_id,payer_code,member_id,effective_from,effective_to\n"
        "C1,P-1001,00435,NOT-AN-MBI,2024-01-01,\n"
        "C2,P-9999,00435,1EG4TE5MK72,2024-01-01,\n"
        "C3,P-1002,99999,X1,2024-01-01,\n"
        "C4,P-1002,87726,X1,2024-05-01,2024-04-01\n"
        "C4,P-1002,87726,X1,2024-05-01,\n"
        "C5,P-1002,87726,X1,2024-05-01,\n"
        "C6,P-1002,87726,X2,2024-06-01,\n"
    )
    report = _import(db, ids, "coverages", text)
    assert [(p.row, p.column) for p in report.refused] == [
        (2, "member_id"), (3, "old_patient_id"), (4, "payer_code"), (5, "effective_to"),
        (6, "old_id"), (8, "priority"),
    ]  # fmt: skip
    assert "Medicare MBI" in report.refused[0].message
    assert "already has a primary coverage (member ID X1)" in report.refused[-1].message


def test_a_balance_posts_once_even_from_another_file_naming_the_same_old_id(db: Database) -> None:
    ids = seed_clinic(db)
    for kind in ("patients", "coverages"):
        _import(db, ids, kind, _template(kind))
    first = _import(
        db, ids, "balances", "old_id,old_patient_id,amount,as_of\nB9,P-1002,10,2024-12-31\n"
    )
    second = _import(
        db, ids, "balances", "old_id,old_patient_id,amount,as_of\nB9,P-1002,10.00,2024-12-31\n"
    )
    assert first.imported == 1 and second.unchanged == 1 and second.imported == 0
    bad = _import(
        db, ids, "balances",
        "old_id,old_patient_id,amount,as_of\nB8,P-1002,0,2024-12-31\nB7,P-1002,NaN,2024-12-31\n"
        "B6,P-1002,10.005,2024-12-31\nB5,P-1002,1e40,2024-12-31\nB4,P-1002,5,31/12/2024\n"
        "B3,P-1002,5,2099-01-01\nB2,P-1002,-1000000.01,2024-12-31\n",
    )  # fmt: skip
    assert [(p.row, p.column) for p in bad.refused] == [
        (2, "amount"), (3, "amount"), (4, "amount"), (5, "amount"), (6, "as_of"), (7, "as_of"),
        (8, "amount"),
    ]  # fmt: skip
    credit = _import(
        db, ids, "balances", "old_id,old_patient_id,amount,as_of\nC1,P-1002,-4.50,2024-12-31\n"
    )
    assert credit.imported == 1
    with db.unit_of_work(ids.clinic) as uow:
        ben = uow.imports.mapped("legacy", "patients")["P-1002"]
        assert account_of(uow, ben).total == Decimal("5.50")  # 10.00 owed, 4.50 credit


def test_provider_rows_are_checked_by_the_setup_service(db: Database) -> None:
    ids = seed_clinic(db)
    text = (
        "old_id,npi,first_name,last_name,credential,taxonomy,supervisor_old_id\n"
        "T1,1234567890,Ana,Bad,OTR/L,225X00000X,\n"
        "T2,1234567893,Bo,Nocred,XYZ,225X00000X,\n"
        "T3,1245319599,Cy,Alone,COTA,224Z00000X,\n"
        "T4,1245319599,Di,Sup,COTA,224Z00000X,T9\n"
    )
    report = _import(db, ids, "providers", text)
    assert [(p.row, p.column) for p in report.refused] == [
        (2, "npi"), (3, "credential"), (4, "supervisor_old_id"), (5, "supervisor_old_id"),
    ]  # fmt: skip
    assert "check digit" in report.refused[0].message.lower()


def _clinic_with_appointment_references(db: Database) -> Ids:
    """A clinic with the template providers, patients and coverages, and a location "Main"."""
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        address = Address(*uow.clinics.identity().address)
        uow.clinics.add_location(Location(0, "Main", address, "11"))
    for kind in ("providers", "patients", "coverages"):
        assert _import(db, ids, kind, _template(kind)).written, kind
    return ids


def test_appointments_are_booked_and_a_rerun_books_nothing_twice(db: Database) -> None:
    ids = _clinic_with_appointment_references(db)
    report = _import(db, ids, "appointments", _template("appointments"))
    assert report.refused == [] and report.imported == 2 and report.written
    with db.unit_of_work(ids.clinic) as uow:
        old = {kind: uow.imports.mapped("legacy", kind) for kind in ("patients", "providers",
               "coverages", "appointments")}  # fmt: skip
        first = uow.schedule.get(old["appointments"]["A-1"])
        second = uow.schedule.get(old["appointments"]["A-2"])
        main = [loc.id for loc in uow.clinics.locations() if loc.name == "Main"]
    assert (first.patient_id, first.provider_id) == (
        old["patients"]["P-1001"],
        old["providers"]["T-1"],
    )
    assert (first.date, first.starts, first.ends) == (dt.date(2025, 3, 3), "09:00", "09:45")
    assert first.visit_type == "evaluation" and [first.location_id] == main
    # no coverage column: the patient's primary coverage in force on the day
    assert first.coverage_id == old["coverages"]["C-5001"] and first.status == "booked"
    assert second.provider_id == old["providers"]["T-2"]  # found by NPI
    assert second.coverage_id == old["coverages"]["C-5002"] and second.location_id is None
    again = _import(db, ids, "appointments", _template("appointments"))
    assert again.imported == 0 and again.unchanged == 2 and again.refused == [] and again.written
    with db.unit_of_work(ids.clinic) as uow:
        held = uow.schedule.holding_time(first.provider_id, {first.date})
    assert [a.id for a in held] == [first.id]


APPOINTMENTS = "old_id,old_patient_id,date,start,minutes,old_provider_id,provider_npi,location\n"


def test_a_double_booking_row_is_refused_naming_its_row_and_nothing_is_booked(
    db: Database,
) -> None:
    ids = _clinic_with_appointment_references(db)
    text = APPOINTMENTS + (
        "N1,P-1001,2025-03-04,10:00,60,T-1,,\n"
        "N2,P-1002,2025-03-04,10:30,30,,1234567893,\n"  # Rita Cole again, by her NPI
        "N3,P-1002,2025-03-04,8:75,30,T-2,,\n"
        "N4,P-9999,2025-03-04,12:00,30,T-2,,\n"
        "N5,P-1002,2025-03-04,13:00,30,,,\n"
        "N6,P-1002,2025-03-04,14:00,30,T-2,,Annex\n"
        "N7,P-1002,2025-03-04,23:45,30,T-2,,\n"
        "N8,P-1002,2021-01-04,09:00,30,T-2,,\n"  # before Cal Ota was hired
    )
    report = _import(db, ids, "appointments", text)
    assert not report.written and report.imported == 0
    assert [(p.row, p.column) for p in report.refused] == [
        (3, "start"), (4, "start"), (5, "old_patient_id"), (6, "old_provider_id"),
        (7, "location"), (8, "minutes"), (9, "old_provider_id"),
    ]  # fmt: skip
    assert str(report.refused[0]).startswith("row 3, column start: Rita Cole is already booked "
                                             "10:00–11:00 on 2025-03-04")  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.imports.mapped("legacy", "appointments") == {}
        rita = uow.imports.mapped("legacy", "providers")["T-1"]
        assert uow.schedule.holding_time(rita, {dt.date(2025, 3, 4)}) == []
    kept = _import(db, ids, "appointments", text, skip_bad_rows=True)
    assert kept.written and kept.imported == 1 and len(kept.refused) == 7
