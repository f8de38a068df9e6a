"""A small clinic for storage and service tests: two clinics, users with roles, providers, payers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.codes import npi
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.storage import Database

__all__ = ["Ids", "add_commercial_coverage", "another_clinic", "make_npi", "seed_clinic"]


def make_npi(n: int) -> str:
    first9 = f"1{n:08d}"
    return first9 + npi.calc_check_digit(first9)


@dataclass
class Ids:
    clinic: int
    admin: int
    therapist: int
    biller: int
    approver: int
    approver2: int
    otr: int
    cota: int
    medicare: int
    commercial: int
    patient: int
    coverage: int
    commercial_coverage: int
    plan: int
    auth: int


def seed_clinic(db: Database, code: str = "HOT", n: int = 0) -> Ids:
    cid = clinic.create_clinic(
        db,
        code=code,
        name=f"Hands On OT {code}",
        npi_number=make_npi(900 + n),
        tax_id="741234567",
        address=("9 Oak Ave", "Austin", "TX", "78701"),
    )
    with db.unit_of_work(cid) as uow:
        admin = clinic.add_user(
            uow, username="admin", full_name="Ada Admin", password="pw-admin", roles=["admin"]
        )
    with db.unit_of_work(cid, admin) as uow:
        users = {
            name: clinic.add_user(
                uow, username=name, full_name=name.title(), password=f"pw-{name}", roles=roles
            )
            for name, roles in [
                ("therapist", ["therapist"]),
                ("biller", ["biller"]),
                ("approver", ["approver"]),
                ("approver2", ["approver", "biller"]),
            ]
        }
        otr = clinic.add_provider(
            uow,
            npi_number=make_npi(100 + n),
            first_name="Rita",
            last_name="Cole",
            credential="OTR/L",
            taxonomy="225X00000X",
            user_id=users["therapist"],
        )
        cota = clinic.add_provider(
            uow,
            npi_number=make_npi(200 + n),
            first_name="Cal",
            last_name="Ota",
            credential="COTA",
            taxonomy="224Z00000X",
            supervisor_id=otr,
        )
        medicare = clinic.add_payer(
            uow, payer_code="00435", name="Medicare Part B", profile="medicare"
        )
        commercial = clinic.add_payer(
            uow, payer_code="87726", name="Acme Health", profile="commercial-in-network"
        )
        for code, charge, allowed in [
            ("97530", "60", "45"),
            ("97110", "55", "40"),
            ("97165", "150", "110"),
            ("97140", "55", "40"),
            ("97150", "30", "20"),
            ("97535", "60", "45"),
        ]:
            clinic.set_fee(
                uow,
                code=code,
                charge=Decimal(charge),
                allowed=Decimal(allowed),
                effective_from=dt.date(2024, 1, 1),
            )
        patient = patients.add_patient(
            uow,
            mrn="MRN1",
            first_name="Ann",
            last_name="Lee",
            dob=dt.date(1948, 5, 2),
            sex="F",
            address=("1 Main St", "Austin", "TX", "78701"),
        )
        coverage = patients.add_coverage(
            uow,
            patient_id=patient,
            payer_id=medicare,
            member_id="1EG4TE5MK73",
            effective_from=dt.date(2024, 1, 1),
            eligibility_verified_on=dt.date(2025, 2, 1),
            eligibility_active=True,
        )
        commercial_coverage = patients.add_coverage(
            uow,
            patient_id=patient,
            payer_id=commercial,
            member_id="ACM123",
            priority=2,
            effective_from=dt.date(2024, 1, 1),
            eligibility_verified_on=dt.date(2025, 2, 1),
            eligibility_active=True,
        )
        plan = patients.add_plan_of_care(
            uow,
            patient_id=patient,
            certifying_npi=make_npi(300 + n),
            certifying_name=("Sam", "Ng"),
            start=dt.date(2025, 2, 3),
            diagnoses=["M62.81"],
            goals="Independent dressing in 6 weeks",
            frequency_per_week=2,
            duration_weeks=8,
            certified_on=dt.date(2025, 2, 5),
        )
        auth = patients.add_authorization(
            uow,
            coverage_id=commercial_coverage,
            number="AUTH-1",
            start=dt.date(2025, 2, 1),
            end=dt.date(2025, 4, 30),
            visits_authorized=3,
        )
    return Ids(
        cid,
        admin,
        users["therapist"],
        users["biller"],
        users["approver"],
        users["approver2"],
        otr,
        cota,
        medicare,
        commercial,
        patient,
        coverage,
        commercial_coverage,
        plan,
        auth,
    )


def another_clinic(db: Database) -> Ids:
    """A new small clinic in ``db`` each call (the first is ``seed_clinic(db)``'s): a Hypothesis
    test given one database for all its examples keeps each example's rows apart."""
    n = getattr(db, "_clinics_seeded", 0)
    db._clinics_seeded = n + 1  # type: ignore[attr-defined]
    return seed_clinic(db, f"K{n}", n) if n else seed_clinic(db)


def add_commercial_coverage(db: Database, ids: Ids, member_id: str, **extra: object) -> int:
    """A third coverage of the patient, with the clinic's commercial payer from 2024-01-01 (the
    payer simulator's answer is picked by ``member_id``); added by the admin."""
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        return patients.add_coverage(
            uow, patient_id=ids.patient, payer_id=ids.commercial, member_id=member_id,
            priority=3, effective_from=dt.date(2024, 1, 1), **extra,
        )  # type: ignore[arg-type]  # fmt: skip


def insert_claim(
    db: Database,
    ids: Ids,
    number: str,
    charges: tuple[int, ...] = (9000, 6000),
    status: str = "approved",
) -> tuple[int, list[int]]:
    """A claim with lines written straight to the tables (for ledger tests); (claim, line ids)."""
    from otbill.storage.audit import utcnow
    from otbill.storage.tables import ClaimLineRow, ClaimRow

    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        claim = uow.records.add(
            ClaimRow(
                number=number,
                patient_id=ids.patient,
                coverage_id=ids.coverage,
                payer_id=ids.medicare,
                date_of_service=dt.date(2025, 2, 14),
                status=status,
                place_of_service="11",
                total_charge_cents=sum(charges),
                findings=[],
                created_by=ids.biller,
                last_edited_by=ids.biller,
                created_at=utcnow(),
            )
        )
        uow.flush()
        lines = [
            uow.records.add(
                ClaimLineRow(
                    claim_id=claim.id,
                    position=i + 1,
                    date=dt.date(2025, 2, 14),
                    code="97530",
                    minutes=30,
                    units=2,
                    modifiers="GO",
                    charge_cents=cents,
                    allowed_cents=cents // 2,
                    rendering_provider_id=ids.otr,
                )
            )
            for i, cents in enumerate(charges)
        ]
        uow.flush()
        return claim.id, [line.id for line in lines]
