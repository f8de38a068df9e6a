"""PFS readers and allowed amounts, checked against CMS's 2025 and 2026 PPRRVU files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from otbill.refdata.fee_schedule import (
    FeeSchedule,
    Gpci,
    RvuRow,
    conversion_factor,
    iter_gpci_file,
    iter_pprrvu_file,
)
from otbill.refdata.formats import RefdataFormatError


@pytest.fixture(scope="module")
def rvu2025(refdata: Path) -> list[RvuRow]:
    return list(iter_pprrvu_file(refdata / "mpfs" / "PPRRVU2025_Oct_therapy_subset.csv"))


@pytest.fixture(scope="module")
def gpci2025(refdata: Path) -> list[Gpci]:
    return list(iter_gpci_file(refdata / "mpfs" / "GPCI2025.csv"))


@pytest.mark.parametrize(
    ("code", "amount"), [("97530", "34.61"), ("97165", "100.60"), ("97110", "28.79")]
)
def test_2025_national_non_facility(rvu2025: list[RvuRow], code: str, amount: str) -> None:
    schedule = FeeSchedule(rvu2025, cf=conversion_factor(dt.date(2025, 2, 14)))
    assert schedule.allowed(code) == Decimal(amount)


def test_reads_rows_without_descriptors(rvu2025: list[RvuRow]) -> None:
    assert len(rvu2025) == 97
    row = next(r for r in rvu2025 if r.hcpcs == "97530")
    assert (row.work, row.pe_nonfacility, row.mp) == (
        Decimal("0.44"),
        Decimal("0.62"),
        Decimal("0.01"),
    )
    assert row.conversion_factor == Decimal("32.3465") and row.pctc == "7"
    assert not hasattr(row, "description")


def test_2026_layout_with_pric_ind(refdata: Path) -> None:
    rows = list(iter_pprrvu_file(refdata / "mpfs" / "PPRRVU2026_Jul_nonQPP_therapy_subset.csv"))
    assert len(rows) == 98
    schedule = FeeSchedule(rows)  # CF from the file's CONV FACTOR column: 33.4009
    assert schedule.allowed("97530") == Decimal("35.07")  # 1.05 x 33.4009 = 35.0709
    assert schedule.rvu("98979") is not None


def test_gpci_localities_and_footnotes_skipped(gpci2025: list[Gpci]) -> None:
    assert len(gpci2025) == 109
    alaska = next(g for g in gpci2025 if g.state == "AK")
    assert (alaska.key, alaska.work) == ("02102-01", Decimal("1.5"))


def test_locality_amount(rvu2025: list[RvuRow], gpci2025: list[Gpci]) -> None:
    schedule = FeeSchedule(rvu2025, gpci2025, Decimal("32.3465"))
    # (0.44 x 1.5 + 0.62 x 1.081 + 0.01 x 0.592) x 32.3465 = 43.2193... -> 43.22
    assert schedule.allowed("97530", locality="02102-01") == Decimal("43.22")
    assert schedule.allowed("97530", locality="nowhere") is None
    assert schedule.allowed("99999") is None


def test_conversion_factors_by_period() -> None:
    assert conversion_factor(dt.date(2024, 3, 8)) == Decimal("32.7442")
    assert conversion_factor(dt.date(2024, 3, 9)) == Decimal("33.2875")
    assert conversion_factor(dt.date(2026, 5, 1)) == Decimal("33.4009")
    assert conversion_factor(dt.date(2026, 5, 1), qualifying_apm=True) == Decimal("33.5675")
    assert conversion_factor(dt.date(2020, 1, 1)) is None


def test_wrong_file_refused(refdata: Path, tmp_path: Path) -> None:
    with pytest.raises(RefdataFormatError, match="GPCI2025.csv"):
        list(iter_pprrvu_file(refdata / "mpfs" / "GPCI2025.csv"))
    path = tmp_path / "PPRRVU2025_Oct.csv"
    path.write_text("HCPCS,MOD,DESCRIPTION,CODE\n97530,,x,A\n")
    with pytest.raises(RefdataFormatError) as info:
        list(iter_pprrvu_file(path))
    assert info.value.line == 1 and info.value.column == "STATUS CODE"
