"""The quarter's coding audit and the year's code changes on the demo clinic (2025Q1, 1,296
visits by three therapists)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import otbill.codes
from otbill.services.views.code_changes import code_changes
from otbill.services.views.coding_audit import BadQuarter, coding_audit, parse_quarter
from otbill.storage import Database


@pytest.fixture
def db(demo_template: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def test_quarters() -> None:
    assert parse_quarter("2025q4") == ("2025Q4", dt.date(2025, 10, 1), dt.date(2026, 1, 1))
    with pytest.raises(BadQuarter, match="such as 2025Q1"):
        parse_quarter("2025Q0")


def test_quarter_audit_on_the_demo(db: Database) -> None:
    with db.unit_of_work(1) as uow:
        view = coding_audit(uow, "2025Q1")
    audit = view.audit
    assert view.visits == audit.clinic.visits == 1296
    assert {t.therapist: t.visits for t in audit.therapists} == {
        "Jon Diaz, COTA": 291,
        "Maya Patel, OTR/L": 648,
        "Rita Cole, OTR/L": 357,
    }
    evals = audit.clinic.evaluations
    assert [evals[c].count for c in ("97165", "97166", "97167")] == [21, 20, 19]
    assert sum(audit.clinic.units_per_visit.values()) == audit.clinic.measures["band_low"].total
    # the assistant's CO lines: the one outlier, with the 168 visits behind it
    [outlier] = audit.outliers
    assert (outlier.therapist, outlier.measure, len(outlier.visit_ids)) == (
        "Jon Diaz, COTA",
        "mod_cq_co",
        168,
    )
    assert view.seed == 20251 and len(view.sample) == 10
    with db.unit_of_work(1) as uow:
        other = coding_audit(uow, "2025Q1", seed=7)
        again = coding_audit(uow, "2025Q1")
    assert [s.visit_id for s in again.sample] == [s.visit_id for s in view.sample]
    assert [s.visit_id for s in other.sample] != [s.visit_id for s in view.sample]


def test_code_changes_2026_touch_the_2025_visits(db: Database) -> None:
    with db.unit_of_work(1) as uow:
        report = code_changes(uow, 2026, [])
    assert report.visits == 1299
    by = {(t.change.kind, t.change.codes): t for t in report.changes}
    revalued = by[("revalued", ("97530",))]
    assert (revalued.change.before, revalued.change.after) == ("$34.61", "$35.07")
    assert revalued.visits == 506  # the 2025 visits that billed 97530
    assert by[("code-added", ("98979",))].visits == 0
    [kx] = report.of_kind("kx")
    assert (kx.change.before, kx.change.after) == ("$2,410.00", "$2,480.00")
    assert any("start on 2025-01-06" in n for n in report.notes)
    with db.unit_of_work(1) as uow:
        later = code_changes(uow, 2028, [])  # no RVUs shipped for 2027 or 2028: said so
    assert any("No Medicare RVU file covers 2027 and 2028" in n for n in later.notes)
    assert not later.of_kind("revalued") and later.visits == 0


def test_an_imported_mue_release_changes_a_limit(db: Database, tmp_path: Path) -> None:
    """A 2026 MUE release (here: 97530 lowered to 1 a day) is one change, touching every 2025
    visit that billed 97530 and naming those that billed more than 1 unit."""
    curated = Path(otbill.codes.__file__).parent / "data" / "mue_ot.csv"  # the shipped table
    text = curated.read_text().replace("97530,6,3,", "97530,1,3,")
    text = text.replace("# effective: 2024-07-01", "# effective: 2026-01-01")
    text = text.replace("# release: 2024Q3", "# release: 2026Q1")
    (tmp_path / "refdata" / "mue").mkdir(parents=True)
    (tmp_path / "refdata" / "mue" / "2026-01-01__2026Q1.csv").write_text(text)
    with db.unit_of_work(1) as uow:
        report = code_changes(uow, 2026, [tmp_path / "refdata"])
    [mue] = report.of_kind("mue")
    assert (mue.change.codes, mue.change.before, mue.change.after) == (
        ("97530",),
        "6 a day",
        "1 a day",
    )
    assert mue.visits == 506
    assert "visit(s) billed more than the new limit" in mue.change.detail
