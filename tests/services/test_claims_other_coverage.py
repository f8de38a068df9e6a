"""A claim to the primary names the patient's other coverages in force on the date of service."""

from __future__ import annotations

import datetime as dt

from otbill.domain.care import Coverage
from otbill.domain.claim import Address, Claim
from otbill.services.claims.context import Snapshot
from otbill.services.claims.fixes import assembled_claim
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import build_all, record_visit
from support.clinickit import Ids, seed_clinic

DAY = dt.date(2025, 2, 5)


def _claim_on(db: Database, ids: Ids, coverage: int) -> Claim:
    record_visit(db, ids, DAY, [visits.Service("97530", 30)], coverage=coverage)
    (claim_id,) = build_all(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return assembled_claim(uow, uow.claims.get(claim_id))


def test_the_primary_claim_names_the_active_secondary(db: Database) -> None:
    ids = seed_clinic(db)
    claim = _claim_on(db, ids, ids.coverage)  # Medicare; Acme is the secondary
    (other,) = claim.other_coverages
    assert (other.responsibility, other.payer.payer_id, other.payer.name) == (
        "S",
        "87726",
        "Acme Health",
    )
    assert (other.member_id, other.first_name, other.last_name, other.relationship) == (
        "ACM123",
        "Ann",
        "Lee",
        "self",
    )
    assert other.address == Address(line1="1 Main St", city="Austin", state="TX", zip="78701")


def test_a_tertiary_held_by_the_spouse_names_the_spouse(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        gap = clinic.add_payer(
            uow, payer_code="GAP22", name="Gap Mutual", profile="commercial-in-network"
        )
        patients.add_coverage(
            uow, patient_id=ids.patient, payer_id=gap, member_id="GM-1", priority=3,
            effective_from=dt.date(2024, 1, 1), relationship="spouse", group_number="G-9",
            subscriber={"first_name": "Ray", "last_name": "Lee", "dob": "1947-01-02", "sex": "M"},
        )  # fmt: skip
    _, tertiary = _claim_on(db, ids, ids.coverage).other_coverages
    assert (tertiary.responsibility, tertiary.payer.payer_id, tertiary.member_id) == (
        "T",
        "GAP22",
        "GM-1",
    )
    assert (tertiary.first_name, tertiary.last_name, tertiary.relationship) == (
        "Ray",
        "Lee",
        "spouse",
    )
    assert (tertiary.group_number, tertiary.address) == ("G-9", None)


def test_a_claim_to_the_secondary_names_no_other_coverage(db: Database) -> None:
    ids = seed_clinic(db)
    assert _claim_on(db, ids, ids.commercial_coverage).other_coverages == ()


def _coverage(cid: int, priority: int, **dates: object) -> Coverage:
    return Coverage(id=cid, patient_id=1, payer_id=cid, member_id=f"M{cid}", priority=priority,
                    **dates)  # type: ignore[arg-type]  # fmt: skip


def _snapshot(*coverages: Coverage) -> Snapshot:
    return Snapshot(None, {}, {c.id: c for c in coverages}, {}, {}, {}, {}, {}, {}, {}, {})  # type: ignore[arg-type]


def test_only_coverages_in_force_on_the_date_are_named() -> None:
    on = dt.date(2025, 4, 7)
    primary = _coverage(1, 1)
    snap = _snapshot(
        primary,
        _coverage(2, 2, effective_to=dt.date(2025, 3, 31)),  # ended before the visit
        _coverage(3, 2, effective_from=dt.date(2025, 5, 1)),  # starts after it
        _coverage(4, 2, eligibility_verified_on=on, eligibility_active=False),  # found inactive
        _coverage(5, 3, effective_from=dt.date(2025, 1, 1), effective_to=on),  # last day: in force
        _coverage(6, 2, effective_from=on),  # first day: in force
        Coverage(id=7, patient_id=2, payer_id=7, member_id="X", priority=2),  # another patient
    )
    assert [c.id for c in snap.other_coverages(primary, on)] == [6, 5]
    assert snap.other_coverages(snap.coverages[6], on) == []  # billing the secondary: none
