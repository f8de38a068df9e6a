"""The claim pipeline in batches (issue 15): the same claims as ``build_claims``, the clean ones in
a prepared 837P, idempotent; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update

from otbill.services.claims import batch_pipeline
from otbill.services.claims.batch_pipeline import run_batch
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClinicRow
from support.claimflow import RULES, build_all, record_visit, scrub_run
from support.clinickit import Ids, seed_clinic


def _visits(db: Database, ids: Ids) -> list[int]:
    """The clinic's ZIP+4 (the 837P needs it) and four visits: three days of claims (one day of two visits), one unsigned (held)."""
    with db.engine.begin() as conn:
        conn.execute(update(ClinicRow).where(ClinicRow.id == ids.clinic).values(zip="787011234"))
    day = dt.date(2025, 2, 3)
    return [
        record_visit(db, ids, day, [visits.Service("97165", 45)], note_type="evaluation"),
        record_visit(db, ids, day + dt.timedelta(days=2), [visits.Service("97530", 24)]),
        record_visit(
            db, ids, day + dt.timedelta(days=2), [visits.Service("97110", 23)], provider=ids.cota
        ),
        record_visit(
            db, ids, day + dt.timedelta(days=4), [visits.Service("97530", 30)], sign=False
        ),
    ]


def _claims(db: Database, clinic: int) -> list[tuple[object, ...]]:
    """Each claim's date, status and lines (code, units, modifiers), by date."""
    with db.unit_of_work(clinic) as uow:
        claims = uow.records.find(ClaimRow)
        lines = uow.records.find(ClaimLineRow)
        return sorted(
            (
                c.date_of_service,
                c.status,
                c.error_count,
                tuple((x.code, x.units, x.modifiers) for x in lines if x.claim_id == c.id),
            )
            for c in claims
        )


def test_the_pipeline_builds_what_build_claims_builds_and_prepares_the_clean(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_pipeline, "BATCH_VISITS", 2)  # three batches: one day split
    ids, twin = seed_clinic(db), seed_clinic(db, code="TWIN", n=1)
    visit_ids = _visits(db, ids)
    _visits(db, twin)
    build_all(db, twin)
    told: list[tuple[int, int]] = []
    counts = run_batch(db, ids.clinic, ids.biller, visit_ids, lambda d, t, _n: told.append((d, t)),
                       run=scrub_run(), rules=RULES, out_dir=tmp_path)  # fmt: skip
    assert _claims(db, ids.clinic) == _claims(db, twin.clinic)
    statuses = [status for _day, status, *_ in _claims(db, ids.clinic)]
    assert (counts.visits, counts.claims, counts.already_billed) == (4, len(statuses), 0)
    assert counts.no_units == 0  # every visit has billable minutes
    assert (counts.ready, counts.held) == (statuses.count("ready"), statuses.count("held"))
    assert counts.held >= 1 and counts.ready >= 1  # the unsigned visit's claim is held
    assert told[-1] == (4, 4) and len(told) == 3  # batches of whole days: 1, 2 and 1 visits
    assert counts.written == counts.ready - counts.not_writable
    text = "".join((tmp_path / name).read_text() for name in counts.files)
    with db.unit_of_work(ids.clinic) as uow:
        numbers = {c.status: c.number for c in uow.records.find(ClaimRow)}
    assert text.count("CLM*") == counts.written
    assert f"CLM*{numbers['ready']}*" in text and f"CLM*{numbers['held']}*" not in text


def test_the_pipeline_run_again_builds_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    visit_ids = _visits(db, ids)
    first = run_batch(db, ids.clinic, ids.biller, visit_ids[:2], run=scrub_run(), rules=RULES,
                      out_dir=tmp_path)  # fmt: skip
    second = run_batch(db, ids.clinic, ids.biller, visit_ids, run=scrub_run(), rules=RULES,
                       out_dir=tmp_path)  # fmt: skip
    assert first.claims == 2
    assert second.already_billed == 2 and second.claims == 2  # only the visits not yet on one
    before = (_claims(db, ids.clinic), sorted(p.name for p in tmp_path.iterdir()))
    third = run_batch(db, ids.clinic, ids.biller, visit_ids, run=scrub_run(), rules=RULES,
                      out_dir=tmp_path)  # fmt: skip
    assert (third.already_billed, third.claims, third.written, third.files) == (4, 0, 0, [])
    assert (_claims(db, ids.clinic), sorted(p.name for p in tmp_path.iterdir())) == before
