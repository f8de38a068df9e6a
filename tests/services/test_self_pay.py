"""Self-pay: no claim; price-list charges, sliding scale and prompt pay as rules; packages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services.claims.build import build_claims
from otbill.services.self_pay import charges, settings
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, PatientRow
from support.claimflow import RULES, scrub_run
from support.claimflow import record_visit as _visit
from support.clinickit import Ids, seed_clinic

D = dt.date(2025, 2, 3)


def _self_pay(db: Database) -> Ids:
    ids = seed_clinic(db)
    with db.session() as session, session.begin():
        session.get_one(PatientRow, ids.patient).self_pay = True
    return ids


def _build(db: Database, ids: Ids):
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return build_claims(uow, scrub_run(), RULES)


def _entries(db: Database, ids: Ids) -> list[tuple[str, Decimal, int | None]]:
    with db.unit_of_work(ids.clinic) as uow:
        return [(e.kind, e.amount, e.visit_id)
                for e in uow.patient_account.of_patients([ids.patient])]  # fmt: skip


def _sliding(db: Database, ids: Ids, on: dt.date, tiers: list[settings.Tier]) -> None:
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        settings.set_sliding_scale(uow, tiers, on, guideline_first_cents=1565000,
                                   guideline_each_more_cents=550000)  # fmt: skip


def test_a_self_pay_visit_makes_no_claim_but_price_list_charges(db: Database) -> None:
    ids = _self_pay(db)
    visit = _visit(db, ids, D, [visits.Service("97530", 30), visits.Service("97110", 15)])
    report = _build(db, ids)
    assert report.claims == [] and report.self_pay.charged == [visit]
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(ClaimRow) == 0
    assert _entries(db, ids) == [
        ("self-pay-charge", Decimal("120.00"), visit),  # 97530 × 2 at $60
        ("self-pay-charge", Decimal("55.00"), visit),
    ]
    assert _build(db, ids).self_pay.charged == []  # charged once


def test_sliding_scale_by_household_and_rules_by_effective_date(db: Database) -> None:
    ids = _self_pay(db)
    _sliding(db, ids, dt.date(2025, 1, 1), [settings.Tier(150, 50), settings.Tier(200, 25)])
    _sliding(db, ids, dt.date(2025, 3, 1), [settings.Tier(200, 10)])
    with db.unit_of_work(ids.clinic, ids.biller) as uow:  # 3 people, $30,000: 112% of $26,650
        charges.set_household(uow, ids.patient, 3, 3000000, dt.date(2025, 1, 2))
    first = _visit(db, ids, D, [visits.Service("97530", 30)])
    later = _visit(db, ids, dt.date(2025, 3, 3), [visits.Service("97530", 30)])
    _build(db, ids)
    entries = _entries(db, ids)
    assert ("discount", Decimal("-60.00"), first) in entries  # 50% of $120 (tiers of 1 Jan)
    assert ("discount", Decimal("-12.00"), later) in entries  # 10% (tiers of 1 Mar)
    with db.unit_of_work(ids.clinic) as uow:
        words = [e.source for e in uow.patient_account.of_patients([ids.patient])
                 if e.kind == "discount"]  # fmt: skip
    assert words[0].startswith("sliding scale 50% off (household of 3, income 112% of the")
    with pytest.raises(RecordError, match="already change on 2025-03-01"):
        _sliding(db, ids, dt.date(2025, 2, 1), [settings.Tier(100, 90)])


def test_prompt_pay_is_the_rules_percent_on_the_visit_day_only(db: Database) -> None:
    ids = _self_pay(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        settings.set_prompt_pay(uow, 10, dt.date(2025, 1, 1))
    visit = _visit(db, ids, D, [visits.Service("97530", 30)])
    _build(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        with pytest.raises(RecordError, match="prompt pay is for paying at the visit"):
            charges.prompt_pay(uow, visit, D + dt.timedelta(days=1))
        first = charges.prompt_pay(uow, visit, D)
        assert charges.prompt_pay(uow, visit, D) == first  # once
    assert ("discount", Decimal("-12.00"), visit) in _entries(db, ids)
    with pytest.raises(PermissionDenied), db.unit_of_work(ids.clinic, ids.biller) as uow:
        settings.set_prompt_pay(uow, 50, dt.date(2025, 6, 1))  # settings are an admin's


def test_a_package_pays_visits_until_used_up_or_expired(db: Database) -> None:
    ids = _self_pay(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        offer = settings.add_package(uow, "Two visits", 2, 20000, 30)
        with pytest.raises(RecordError, match="already offered"):
            settings.add_package(uow, "two  visits", 3, 100, 30)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        sold = charges.sell_package(uow, ids.patient, offer, D)
    days = [D, D + dt.timedelta(days=2), D + dt.timedelta(days=4)]
    made = [_visit(db, ids, day, [visits.Service("97530", 30)]) for day in days]
    report = _build(db, ids)
    assert report.self_pay.by_package == made[:2] and report.self_pay.charged == made[2:]
    kinds = [(k, a) for k, a, _ in _entries(db, ids)]
    assert kinds == [
        ("package-sale", Decimal("200.00")),
        ("package-use", Decimal("0.00")),
        ("package-use", Decimal("0.00")),
        ("self-pay-charge", Decimal("120.00")),
    ]
    with db.unit_of_work(ids.clinic) as uow:
        account = charges.self_pay_account(uow, ids.patient, days[2])
        (package,) = account["packages"]
        assert (package.id, package.left, package.expires_on) == (sold, 0, D + dt.timedelta(29))
        assert account["total"] == Decimal("320.00") and account["usable"] == []


def test_selling_a_package_needs_a_self_pay_patient_and_an_offered_package(db: Database) -> None:
    ids = seed_clinic(db)  # insured
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        offer = settings.add_package(uow, "Ten visits", 10, 90000, 180)
    with (
        pytest.raises(RecordError, match="not registered as self-pay"),
        db.unit_of_work(ids.clinic, ids.biller) as uow,
    ):
        charges.sell_package(uow, ids.patient, offer, D)
    with db.session() as session, session.begin():
        session.get_one(PatientRow, ids.patient).self_pay = True
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        settings.set_package_offered(uow, offer, False)
    with (
        pytest.raises(RecordError, match="no longer offered"),
        db.unit_of_work(ids.clinic, ids.biller) as uow,
    ):
        charges.sell_package(uow, ids.patient, offer, D)


def test_an_insured_patients_visits_still_make_claims(db: Database) -> None:
    ids = seed_clinic(db)
    _visit(db, ids, D, [visits.Service("97165", 45)], note_type="evaluation")
    report = _build(db, ids)
    assert len(report.claims) == 1 and report.self_pay.charged == []
    assert _entries(db, ids) == []
