"""The scrubber's eligibility of a claim built from the records carries the latest 271's plan
dates and therapy visit counts (what ELG003 reads), only while that 271 is the check on record."""

from __future__ import annotations

import datetime as dt

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.payers import load_profiles
from otbill.services.claims.context import load_snapshot
from otbill.services.claims.eligibility_facts import eligibility_of
from otbill.services.exchange.eligibility import check_coverage
from otbill.services.frontdesk.coverage import record_eligibility_check
from otbill.storage import Database
from support.clinickit import add_commercial_coverage, seed_clinic

TODAY = dt.date(2025, 3, 1)


def _checked(db: Database, member_id: str):  # type: ignore[no-untyped-def]
    ids = seed_clinic(db)
    coverage = add_commercial_coverage(db, ids, member_id)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        check_coverage(uow, coverage, on=TODAY, today=TODAY,
                       transport=SimulatedEligibilityPayer(), profiles=load_profiles())  # fmt: skip
    return ids, coverage


def test_a_claim_carries_the_271s_plan_dates_and_visit_counts(db: Database) -> None:
    ids, coverage = _checked(db, "ACM900")
    with db.unit_of_work(ids.clinic) as uow:
        snap = load_snapshot(uow, [ids.patient])
        summary = uow.eligibility.latest(coverage).benefits["summary"]  # type: ignore[union-attr]
    assert set(snap.checks) >= {coverage}
    facts = eligibility_of(snap.coverages[coverage], snap.checks[coverage])
    assert facts is not None and (facts.verified_on, facts.active) == (TODAY, True)
    assert summary["visit_limit"] is not None and facts.visit_limit == summary["visit_limit"]
    assert facts.visits_used == summary["visits_used"] is not None
    begin = summary["plan_begin"]
    assert facts.plan_begin == (dt.date.fromisoformat(begin) if begin else None)


def test_a_later_phone_check_replaces_the_271s_figures(db: Database) -> None:
    ids, coverage = _checked(db, "ACM901")
    later = TODAY + dt.timedelta(days=2)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        record_eligibility_check(uow, coverage, on=later, active=True, today=later)
    with db.unit_of_work(ids.clinic) as uow:
        snap = load_snapshot(uow, [ids.patient])
    facts = eligibility_of(snap.coverages[coverage], snap.checks[coverage])
    assert facts is not None and facts.verified_on == later
    assert (facts.visit_limit, facts.visits_used, facts.plan_end) == (None, None, None)


def test_a_rejected_271_gives_no_figures(db: Database) -> None:
    ids, coverage = _checked(db, "ACM907")
    with db.unit_of_work(ids.clinic) as uow:
        snap = load_snapshot(uow, [ids.patient])
    assert eligibility_of(snap.coverages[coverage], snap.checks.get(coverage)) is None
