"""Versioned store: import CMS files, reimport as a no-op, pick releases by date, fall back."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from otbill.errors import ConfigError
from otbill.refdata.formats import RefdataFormatError, infer_release
from otbill.refdata.store import (
    import_file,
    list_imported,
    load_fee_schedule,
    load_gpci,
    load_mue,
    load_ncci_ptp,
    load_rvu,
)

DOS = dt.date(2025, 2, 14)


@pytest.mark.parametrize(
    ("kind", "name", "release", "effective"),
    [
        ("ncci-ptp", "ccipra-v301r0_practitioner_ptp.txt", "v30.1", dt.date(2024, 4, 1)),
        ("ncci-ptp", "ccipra-v300r1-f1.txt", "v30.0r1", dt.date(2024, 1, 1)),
        ("ncci-ptp", "ccipra-v163r0-f2.TXT", "v16.3", dt.date(2010, 10, 1)),
        ("mue", "MCR_MUE_PractitionerServices_Eff_07-01-2024.csv", "2024Q3", dt.date(2024, 7, 1)),
        ("rvu", "PPRRVU2025_Oct.csv", "RVU25D", dt.date(2025, 10, 1)),
        ("rvu", "PPRRVU25_JAN.csv", "RVU25A", dt.date(2025, 1, 1)),
        ("rvu", "PPRRVU2026_Jul_nonQPP.csv", "RVU26C", dt.date(2026, 7, 1)),
        ("gpci", "GPCI2025.csv", "GPCI2025", dt.date(2025, 1, 1)),
    ],
)
def test_infer_release(kind: str, name: str, release: str, effective: dt.date) -> None:
    info = infer_release(kind, name)
    assert info is not None and (info.release, info.effective) == (release, effective)


def test_import_ptp_writes_compact_copy_and_reimport_is_noop(
    ptp_file: Path, tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    first = import_file(
        "ncci-ptp",
        ptp_file,
        dest_dir=tmp_path,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert first.dest == tmp_path / "ncci-ptp" / "2024-04-01__v30.1.csv"
    assert (first.rows, first.unchanged, first.release) == (30979, False, "v30.1")
    assert calls and calls[-1][0] == calls[-1][1] == ptp_file.stat().st_size
    mtime = first.dest.stat().st_mtime_ns
    again = import_file("ncci-ptp", ptp_file, dest_dir=tmp_path)
    assert again.unchanged and "already imported" in again.message
    assert first.dest.stat().st_mtime_ns == mtime
    assert not [p for p in first.dest.parent.iterdir() if p.name.endswith(".tmp")]
    table = load_ncci_ptp(DOS, [tmp_path])
    assert len(table) == 30979 and table.release == "v30.1"
    assert [e.modifier_indicator for e in table.edits_between("97150", "97530", DOS)] == [1]


def test_wrong_layout_refused_and_nothing_written(mue_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "ccipra-v301r0.txt"
    shutil.copy(mue_file, target)
    with pytest.raises(RefdataFormatError) as info:
        import_file("ncci-ptp", target, dest_dir=tmp_path / "store")
    assert "ccipra-v301r0.txt" in str(info.value) and info.value.line == 1
    assert not (tmp_path / "store").exists()


def test_release_must_be_known(mue_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "limits.csv"
    shutil.copy(mue_file, target)
    with pytest.raises(ConfigError, match="--effective"):
        import_file("mue", target, dest_dir=tmp_path)
    result = import_file(
        "mue", target, dest_dir=tmp_path, effective=dt.date(2024, 7, 1), release="2024Q3"
    )
    assert result.dest.name == "2024-07-01__2024Q3.csv"


def test_load_falls_back_to_curated(tmp_path: Path) -> None:
    table = load_ncci_ptp(DOS, [tmp_path])
    assert table.release.startswith("v30.1")
    assert [e.modifier_indicator for e in table.edits_between("97167", "97165", DOS)] == [0]
    assert table.edits_between("97140", "97530", DOS) == []
    assert len(table.edits_between("97140", "97530", dt.date(2019, 6, 1))) == 1
    limits = load_mue(DOS, [tmp_path])
    assert limits.limit("97530", DOS).max_units == 6  # type: ignore[union-attr]
    rvus = load_rvu(DOS, [tmp_path])  # the curated OT subset of the DOS's year
    assert rvus is not None and {r.hcpcs for r in rvus} >= {"97530", "97165"}
    assert load_gpci(DOS, [tmp_path]) is None  # no localities are shipped: national amounts
    fees = load_fee_schedule(DOS, [tmp_path])
    assert fees is not None and fees.allowed("97530") is not None


def test_curated_ptp_holds_only_catalog_pairs(tmp_path: Path) -> None:
    table = load_ncci_ptp(DOS, [])
    codes = {c for e in table.edits for c in (e.column1, e.column2)}
    assert "36591" not in codes and all(c.startswith(("97", "92", "98", "G")) for c in codes)
    assert any(e.deleted for e in table.edits) and any(e.deleted is None for e in table.edits)


def test_newest_release_on_or_before_the_date(mue_file: Path, tmp_path: Path) -> None:
    older = tmp_path / "MCR_MUE_PractitionerServices_Eff_07-01-2024.csv"
    newer = tmp_path / "MCR_MUE_PractitionerServices_Eff_01-01-2025.csv"
    shutil.copy(mue_file, older)
    newer.write_text(mue_file.read_text().replace("97530,6,", "97530,5,"))
    store = tmp_path / "store"
    import_file("mue", older, dest_dir=store)
    import_file("mue", newer, dest_dir=store)
    assert load_mue(dt.date(2024, 12, 31), [store]).limit("97530", DOS).max_units == 6  # type: ignore[union-attr]
    assert load_mue(dt.date(2025, 1, 1), [store]).limit("97530", DOS).max_units == 5  # type: ignore[union-attr]
    listed = [(t.kind, t.release, t.effective) for t in list_imported([store])]
    assert listed == [
        ("mue", "2024Q3", dt.date(2024, 7, 1)),
        ("mue", "2025Q1", dt.date(2025, 1, 1)),
    ]


def test_fee_schedule_from_imported_files(refdata: Path, tmp_path: Path) -> None:
    import_file(
        "rvu",
        refdata / "mpfs" / "PPRRVU2025_Oct_therapy_subset.csv",
        effective=dt.date(2025, 1, 1),
        dest_dir=tmp_path,
    )
    import_file("gpci", refdata / "mpfs" / "GPCI2025.csv", dest_dir=tmp_path)
    schedule = load_fee_schedule(DOS, [tmp_path])
    assert schedule is not None
    assert schedule.allowed("97530") == Decimal("34.61")
    assert schedule.allowed("97165") == Decimal("100.60")
    assert schedule.allowed("97530", locality="02102-01") == Decimal("43.22")
    normalized = (tmp_path / "rvu" / "2025-01-01__RVU25D.csv").read_text()
    assert "Therapeutic activities" not in normalized  # no CPT descriptors are stored
