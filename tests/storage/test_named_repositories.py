"""The named repositories: scoped to their clinic, return records, write only what they name."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from otbill.domain.care import Visit, VisitLine
from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.record_errors import NotFound
from otbill.storage import Database, UnitOfWork
from support.clinickit import Ids, insert_claim, seed_clinic

DAY = dt.date(2025, 2, 14)


def _visit(uow: UnitOfWork, ids: Ids, day: dt.date, *, lines: int = 1) -> int:
    visit = Visit(0, ids.patient, ids.coverage, ids.otr, None, None, day, "11")
    line = VisitLine(0, 0, 1, "97530", 30, 2)
    return uow.visits.add(visit, [line] * lines, created_by=ids.therapist)


def _claim(ids: Ids, number: str, *, frequency: str = "1", allowed: int = 4500) -> tuple:
    claim = StoredClaim(0, number, ids.patient, ids.coverage, ids.medicare, DAY, "ready", "11",
                        6000, ids.biller, ids.biller, frequency_code=frequency)  # fmt: skip
    line = ClaimLine(0, 0, 1, DAY, "97530", 2, "GO", 6000, ids.otr, allowed_cents=allowed)
    return claim, [line]


def test_unbilled_visits_are_those_with_lines_that_only_a_void_bills(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        billed = _visit(uow, ids, DAY)
        voided = _visit(uow, ids, DAY + dt.timedelta(days=1))
        _visit(uow, ids, DAY + dt.timedelta(days=2), lines=0)  # nothing done: nothing to bill
        later = _visit(uow, ids, DAY + dt.timedelta(days=9))
        uow.claims.insert_built(
            [(*_claim(ids, "C1"), [billed]), (*_claim(ids, "C1-81", frequency="8"), [voided])],
            ids.biller,
        )
    with db.unit_of_work(ids.clinic) as uow:
        assert [v.id for v in uow.visits.unbilled()] == [voided, later]
        assert [v.id for v in uow.visits.unbilled(DAY + dt.timedelta(days=5))] == [voided]


def test_built_claims_come_back_as_records_with_their_lines_and_visits(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        visit = _visit(uow, ids, DAY)
        [claim_id] = uow.claims.insert_built([(*_claim(ids, "C1"), [visit])], ids.biller)
    with db.unit_of_work(ids.clinic) as uow:
        claim = uow.claims.get(claim_id)
        assert (claim.number, claim.status, claim.created_by) == ("C1", "ready", ids.biller)
        assert uow.claims.by_number("C1") == claim
        assert [c.id for c in uow.claims.by_status("ready")] == [claim_id]
        assert [(x.position, x.code, x.modifiers) for x in uow.claims.lines(claim_id)] == [
            (1, "97530", "GO")
        ]
        assert [v.id for v in uow.claims.visits(claim_id)] == [visit]
        with pytest.raises(dataclasses.FrozenInstanceError):
            claim.status = "approved"  # type: ignore[misc]


def test_changes_go_through_the_named_fields_only(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id, [line_id] = insert_claim(db, ids, "C1", charges=(6000,), status="ready")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert uow.claims.change(claim_id, status="held", error_count=1).status == "held"
        assert uow.claims.change_line(line_id, modifiers="GO,KX").modifiers == "GO,KX"
        assert uow.claims.change(claim_id, approved_by=None).error_count == 1  # not given: kept
        with pytest.raises(TypeError, match="number"):
            uow.claims.change(claim_id, number="C2")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="claim_id"):
            uow.claims.change_line(line_id, claim_id=claim_id)  # type: ignore[call-arg]
    with db.unit_of_work(ids.clinic) as uow:
        assert (uow.claims.get(claim_id).status, uow.claims.get(claim_id).error_count) == (
            "held",
            1,
        )
        assert uow.claims.line(line_id).modifiers == "GO,KX"


def test_allowed_so_far_this_year_leaves_out_voids_and_other_dates(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        visit = _visit(uow, ids, DAY)
        built = [(*_claim(ids, "C1"), [visit]), (*_claim(ids, "C1-81", frequency="8"), [visit])]
        uow.claims.insert_built(built, ids.biller)
    with db.unit_of_work(ids.clinic) as uow:
        year = dt.date(2025, 1, 1)
        after = DAY + dt.timedelta(days=1)
        assert uow.claims.allowed_cents_between(ids.patient, ids.medicare, year, after) == 4500
        assert uow.claims.allowed_cents_between(ids.patient, ids.medicare, year, DAY) == 0
        assert uow.claims.allowed_cents_between(ids.patient, ids.commercial, year, after) == 0


def test_named_repositories_never_cross_clinics(db: Database) -> None:
    a = seed_clinic(db, "AAA", 0)
    b = seed_clinic(db, "BBB", 1)
    claim_b, [line_b] = insert_claim(db, b, "B1", charges=(6000,))
    with db.unit_of_work(a.clinic) as uow:
        for lookup, key in (
            (uow.claims.get, claim_b),
            (uow.claims.for_update, claim_b),
            (uow.claims.line, line_b),
            (uow.patients.get, b.patient),
            (uow.patients.coverage, b.coverage),
            (uow.patients.plan, b.plan),
            (uow.payers.get, b.medicare),
            (uow.providers.get, b.otr),
        ):
            with pytest.raises(NotFound):
                lookup(key)
        assert uow.claims.by_number("B1") is None
        assert [p.id for p in uow.patients.by_ids(None)] == [a.patient]
        assert uow.ledger.postings(claim_id=claim_b) == []
