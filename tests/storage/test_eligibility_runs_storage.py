"""Migration 0018 and the eligibility run repository: items unique per run, counts from items."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect

from otbill.domain.eligibility import StoredCheck
from otbill.domain.eligibility_runs import NewRunItem
from otbill.domain.record_errors import ConstraintViolation
from otbill.domain.schedule import Appointment
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import seed_clinic

DAY = dt.date(2025, 3, 4)


def test_down_to_0017_and_up_again(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        run = uow.eligibility_runs.start(DAY, "scheduled", by_user=ids.biller)
        uow.eligibility_runs.add_items(run, [NewRunItem(ids.coverage, ids.patient, DAY)])
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0017")
    assert current_revision(db.engine) == "0017"
    names = inspect(db.engine).get_table_names()
    assert "eligibility_run" not in names and "eligibility_run_item" not in names
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.eligibility_runs.recent() == []


def test_items_are_added_once_and_counted_by_what_the_payer_said(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        uow.schedule.add(Appointment(0, ids.otr, None, ids.patient, None, DAY, 600, 45, "daily"))
        booked = uow.eligibility_runs.booked_on(DAY)
        assert [(i.coverage_id, i.patient_id) for i in booked] == [(ids.coverage, ids.patient)]
        run = uow.eligibility_runs.start(DAY, "scheduled", by_user=ids.biller)
        assert uow.eligibility_runs.add_items(run, booked) == 1
        assert uow.eligibility_runs.add_items(run, booked) == 0  # same coverage and date
        [item] = uow.eligibility_runs.items(run)
        assert item.trace == f"OTBR{run}-{item.id}"
        uow.eligibility_runs.mark_sent([item.id])
        uow.eligibility_runs.mark_sent([item.id])
        [item] = uow.eligibility_runs.items(run, ["sent"])
        assert item.attempts == 2
        check = StoredCheck(ids.coverage, DAY, DAY, item.trace, False, "inactive", {}, "ISA*")
        check_id = uow.eligibility.add(check, by_user=ids.biller)
        uow.eligibility_runs.end_item(item.id, "answered", check_id, "")
        done = uow.eligibility_runs.recount(run, finished=True)
        assert (done.state, done.total, done.answered, done.inactive) == ("finished", 1, 1, 1)
        assert done.finished_at is not None
        assert uow.eligibility_runs.unfinished(DAY, "scheduled") is None
        [result] = uow.eligibility_runs.results(run)
        assert (result.patient_name, result.payer_name, result.active) == (
            "Lee, Ann", "Medicare Part B", False)  # fmt: skip
        assert result.start_minute == 600
        assert uow.eligibility_runs.checked_today([ids.coverage], DAY, DAY) == {
            ids.coverage: check_id
        }


def test_the_database_refuses_a_second_item_for_the_same_coverage_and_date(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        run = uow.eligibility_runs.start(DAY, "plan-year", by_user=None)
        uow.eligibility_runs.add_items(run, [NewRunItem(ids.coverage, ids.patient, DAY)])
    with pytest.raises(ConstraintViolation), db.unit_of_work(ids.clinic) as uow:
        from otbill.storage.tables import EligibilityRunItemRow

        uow.session.add(EligibilityRunItemRow(
            clinic_id=ids.clinic, run_id=run, coverage_id=ids.coverage, patient_id=ids.patient,
            date_of_service=DAY, state="waiting", message="", attempts=0))  # fmt: skip
