"""Claim search and the dashboard's unbilled work, on SQLite and PostgreSQL (issue 11, items 5-6):
text matched without regard to case with ``%`` and ``_`` taken literally; counts per status;
unbilled visits by signature with their units; denied amounts under a pending appeal."""

from __future__ import annotations

import datetime as dt

from otbill.domain.care import Visit, VisitLine
from otbill.domain.notes import NoteText
from otbill.storage import Database
from otbill.storage.repositories.report_claim_search import ClaimFilter
from otbill.storage.tables import AppealRow, ClaimRow, DenialRow
from support.clinickit import Ids, insert_claim, seed_clinic

DAY = dt.date(2025, 2, 14)


def _numbers(db: Database, ids: Ids, f: ClaimFilter, **kw: object) -> list[str]:
    with db.unit_of_work(ids.clinic) as uow:
        return [c.number for c in uow.reports.search_claims(f, limit=50, **kw)]  # type: ignore[arg-type]


def test_search_matches_text_literally_and_counts_each_status(db: Database) -> None:
    ids = seed_clinic(db)
    insert_claim(db, ids, "AB_1", (9000,), status="paid")
    insert_claim(db, ids, "ABX1", (6000,), status="appealed")
    insert_claim(db, ids, "AB%2", (6000, 3000), status="paid")
    with db.unit_of_work(ids.clinic) as uow:
        uow.records.first(ClaimRow, ClaimRow.number == "ABX1").payer_claim_number = "ICN-77"
    assert _numbers(db, ids, ClaimFilter(number="b_1")) == ["AB_1"]
    assert _numbers(db, ids, ClaimFilter(number="%")) == ["AB%2"]
    assert _numbers(db, ids, ClaimFilter(payer_claim_number="icn-7")) == ["ABX1"]
    assert len(_numbers(db, ids, ClaimFilter(patient="lee, ANN"))) == 3
    assert _numbers(db, ids, ClaimFilter(patient="Ann Smith")) == []
    assert _numbers(db, ids, ClaimFilter(charge_min_cents=6000, charge_max_cents=6000)) == ["ABX1"]
    assert _numbers(db, ids, ClaimFilter(date_from=DAY + dt.timedelta(days=1))) == []
    assert _numbers(db, ids, ClaimFilter()) == ["AB%2", "ABX1", "AB_1"]  # same day: newest id
    assert _numbers(db, ids, ClaimFilter(), newest_first=False) == ["AB_1", "ABX1", "AB%2"]
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.reports.claim_status_counts() == {"paid": 2, "appealed": 1}
        only = ClaimFilter(number="ab_", status="appealed")
        assert uow.reports.claim_status_counts(only) == {"paid": 1}


def test_unbilled_visits_by_signature_and_claims_by_status(db: Database) -> None:
    ids = seed_clinic(db)
    insert_claim(db, ids, "C1", (9000, 6000), status="ready")
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        for day, sign in ((DAY, True), (DAY + dt.timedelta(days=1), False)):
            visit = Visit(0, ids.patient, ids.coverage, ids.otr, None, None, day, "11")
            visit_id = uow.visits.add(visit, [VisitLine(0, 0, 1, "97530", 38, 3)], created_by=None)
            note = uow.visits.add_note(visit_id, "daily", NoteText(total_treatment_minutes=38))
            if sign:
                uow.visits.sign_note(
                    note, by_user=ids.therapist, name="Rita Cole", credential="OTR/L"
                )
    with db.unit_of_work(ids.clinic) as uow:
        assert sorted(uow.reports.unbilled_visits()) == [(False, 1), (True, 1)]
        units = sorted(uow.reports.unbilled_units())
        assert units == [
            (False, DAY + dt.timedelta(days=1), ids.medicare, "97530", 3),
            (True, DAY, ids.medicare, "97530", 3),
        ]
        assert uow.reports.claims_by_status() == [("ready", 1, 15000)]


def test_only_a_pending_appeal_of_an_appealed_claim_counts_as_under_appeal(db: Database) -> None:
    ids = seed_clinic(db)
    appealed, _ = insert_claim(db, ids, "C1", (9000,), status="appealed")
    closed, _ = insert_claim(db, ids, "C2", (6000,), status="closed")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for claim_id, cents in ((appealed, 9000), (closed, 6000)):
            denial = uow.records.add(
                DenialRow(
                    claim_id=claim_id,
                    group_code="CO",
                    carc="197",
                    denied_on=DAY,
                    amount_cents=cents,
                )
            )
            uow.flush()
            uow.records.add(
                AppealRow(
                    claim_id=claim_id,
                    denial_id=denial.id,
                    filed_on=DAY,
                    reason="x",
                    filed_by=ids.biller,
                )
            )
        uow.flush()
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.reports.under_appeal() == [(DAY, 9000, 1)]
