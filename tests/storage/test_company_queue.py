"""The billing company's cross-clinic queue (``CompanyReads.queue``): its pages merge the clinics
in service order, two statuses merge too, the count is exact, and a search finds claims by number,
patient's last name or payer's name (each claim once), with ``%`` and ``_`` taken as text.
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from otbill.storage import Database
from otbill.storage.repositories.company_reads import CompanyReads
from otbill.storage.tables import ClaimRow
from support.clinickit import Ids, seed_clinic

DAY = dt.date(2026, 1, 5)
_FIXED = {"frequency_code": "1", "place_of_service": "11", "telehealth": False,
          "total_charge_cents": 6500, "findings": [], "error_count": 0,
          "created_at": dt.datetime(2026, 1, 6), "version": 1}  # fmt: skip


def _claims(db: Database, ids: Ids, rows: list[tuple[str, str, int, bool]]) -> None:
    """(number, status, days after DAY, billed to the commercial payer?) claims of Ann Lee."""
    with db.session() as session, session.begin():
        for number, status, days, commercial in rows:
            coverage = ids.commercial_coverage if commercial else ids.coverage
            payer = ids.commercial if commercial else ids.medicare
            on = DAY + dt.timedelta(days=days)
            row = dict(clinic_id=ids.clinic, number=number, patient_id=ids.patient,
                       coverage_id=coverage, payer_id=payer, date_of_service=on, status=status,
                       created_by=ids.biller, last_edited_by=ids.biller)  # fmt: skip
            session.add(ClaimRow(**row, **_FIXED))


def _reads(db: Database) -> tuple[CompanyReads, Ids, Ids]:
    a, b = seed_clinic(db, "QA", 1), seed_clinic(db, "QB", 2)
    _claims(db, a, [("A-1", "denied", 3, False), ("A-2", "denied", 1, True),
                    ("A-3", "submitted", 2, False), ("A_4", "accepted", 5, False)])  # fmt: skip
    _claims(db, b, [("B-1", "denied", 2, False), ("B-2", "submitted", 4, True),
                    ("B-3", "paid", 0, False), ("B-4", "accepted", 1, False)])  # fmt: skip
    return CompanyReads(db, [a.clinic, b.clinic]), a, b


def _numbers(found: tuple[int, list[object]]) -> tuple[int, list[str]]:
    total, rows = found
    return total, [row.number for row in rows]  # type: ignore[attr-defined]


def test_pages_merge_the_clinics_and_statuses_in_service_order(db: Database) -> None:
    reads, a, _b = _reads(db)
    assert _numbers(reads.queue(("denied",))) == (3, ["A-2", "B-1", "A-1"])
    follow = ("submitted", "accepted")
    assert _numbers(reads.queue(follow)) == (4, ["B-4", "A-3", "B-2", "A_4"])
    assert _numbers(reads.queue(follow, offset=1, limit=2)) == (4, ["A-3", "B-2"])
    assert _numbers(reads.queue(follow, offset=4)) == (4, [])
    assert _numbers(reads.queue(follow, clinic_id=a.clinic)) == (2, ["A-3", "A_4"])
    first = reads.queue(("denied",))[1][0]
    assert (first.clinic_code, first.patient, first.payer) == ("QA", "Ann Lee", "Acme Health")


def test_search_finds_by_number_patient_or_payer_each_claim_once(db: Database) -> None:
    reads, a, _b = _reads(db)
    assert _numbers(reads.queue(("denied",), search="b-1")) == (1, ["B-1"])
    assert _numbers(reads.queue(("denied",), search="LEE")) == (3, ["A-2", "B-1", "A-1"])
    assert _numbers(reads.queue(("denied",), search="acme")) == (1, ["A-2"])
    # "a": in the numbers A-1 and A-2 and in both payers' names; each claim still once
    assert _numbers(reads.queue(("denied",), search="a")) == (3, ["A-2", "B-1", "A-1"])
    assert _numbers(reads.queue(("denied",), search="lee", offset=2)) == (3, ["A-1"])
    assert _numbers(reads.queue(("denied",), search="lee", offset=3)) == (3, [])
    assert _numbers(reads.queue(("denied",), search="lee", clinic_id=a.clinic))[0] == 2
    assert _numbers(reads.queue(("submitted", "accepted"), search="_")) == (1, ["A_4"])
    assert _numbers(reads.queue(("denied",), search="%")) == (0, [])
    assert _numbers(reads.queue(("paid",), search="lee")) == (1, ["B-3"])


def test_no_clinics_granted_reads_nothing(db: Database) -> None:
    _reads(db)
    assert CompanyReads(db, []).queue(("denied",)) == (0, [])
