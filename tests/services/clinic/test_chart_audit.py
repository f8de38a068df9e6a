"""Chart-audit results: recorded only for a sampled visit, every checklist item answered,
replaced when recorded again, audited; a therapist may not record them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from otbill.domain.record_errors import PermissionDenied
from otbill.services.clinic.accounts import user_by_username
from otbill.services.clinic.chart_audit import ChartAuditRefused, record_chart_audit
from otbill.services.views.coding_audit import coding_audit
from otbill.storage import Database

ALL_PASS = {k: "pass" for k in ("current_status", "goals", "interventions",
                                "medical_necessity", "minutes", "signature")}  # fmt: skip


@pytest.fixture
def db(demo_template: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _user(db: Database, name: str) -> int:
    with db.unit_of_work(1) as uow:
        user = user_by_username(uow, name)
    assert user is not None
    return user


def test_record_replace_and_audit(db: Database) -> None:
    biller = _user(db, "biller")
    with db.unit_of_work(1) as uow:
        sample = [s.visit_id for s in coding_audit(uow, "2025Q1", seed=99).sample]
    with db.unit_of_work(1, biller) as uow:
        record_chart_audit(uow, "2025Q1", sample[0], ALL_PASS, seed=99)
    with db.unit_of_work(1, biller) as uow:
        record_chart_audit(
            uow, "2025Q1", sample[0], {**ALL_PASS, "signature": "FAIL"}, seed=99, comment="unsigned"
        )
    with db.unit_of_work(1) as uow:
        view = coding_audit(uow, "2025Q1")  # no seed asked: the recorded one
        events = [e for e in uow.audit_reads.events(entity="visit", entity_id=str(sample[0]))
                  if e.action == "chart_audit.record"]  # fmt: skip
    assert view.seed == 99 and view.seed_recorded and view.audited == 1
    first = next(s for s in view.sample if s.visit_id == sample[0])
    assert first.failed == ["Signed by the treating therapist"]
    assert first.result is not None and first.result.comment == "unsigned"
    assert len(events) == 2


def test_refusals(db: Database) -> None:
    biller, therapist = _user(db, "biller"), _user(db, "rcole")
    with db.unit_of_work(1) as uow:
        sample = [s.visit_id for s in coding_audit(uow, "2025Q1").sample]
    outside = next(v for v in range(1, 2000) if v not in sample)
    with db.unit_of_work(1, biller) as uow:
        with pytest.raises(ChartAuditRefused, match="not in the 2025Q1 chart-audit sample"):
            record_chart_audit(uow, "2025Q1", outside, ALL_PASS)
        with pytest.raises(ChartAuditRefused, match="missing: Signed by the treating therapist"):
            unsigned = {k: v for k, v in ALL_PASS.items() if k != "signature"}
            record_chart_audit(uow, "2025Q1", sample[0], unsigned)
        with pytest.raises(ChartAuditRefused, match="'maybe' is not one of pass, fail, n/a"):
            record_chart_audit(uow, "2025Q1", sample[0], {**ALL_PASS, "goals": "maybe"})
    with db.unit_of_work(1, therapist) as uow, pytest.raises(PermissionDenied):
        record_chart_audit(uow, "2025Q1", sample[0], ALL_PASS)
