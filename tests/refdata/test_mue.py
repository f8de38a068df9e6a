"""MUE reader and dated table, checked against the real CMS 2024-07-01 practitioner subset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from otbill.refdata.formats import RefdataFormatError
from otbill.refdata.mue import MueLimit, MueTable, iter_mue_file, read_mue

DOS = dt.date(2025, 2, 14)
HEADER = "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale"


@pytest.fixture(scope="module")
def table(mue_file: Path) -> MueTable:
    return read_mue(mue_file, effective=dt.date(2024, 7, 1), release="2024Q3")


def test_therapeutic_activities_six_units(table: MueTable) -> None:
    limit = table.limit("97530", DOS)
    assert limit is not None and limit.max_units == 6


@pytest.mark.parametrize(
    "code", ["97161", "97162", "97163", "97164", "97165", "97166", "97167", "97168"]
)
def test_evaluations_one_per_day_policy(table: MueTable, code: str) -> None:
    assert table.limit(code, DOS) == MueLimit(code, 1, 2, "CMS Policy")


def test_reads_all_80_codes(mue_file: Path) -> None:
    assert len(list(iter_mue_file(mue_file))) == 80


def test_unknown_code_and_date_before_release_give_none(table: MueTable) -> None:
    assert table.limit("99213", DOS) is None
    assert table.limit("97530", dt.date(2024, 6, 30)) is None


def test_versions_by_effective_date() -> None:
    table = MueTable()
    table.add_version([MueLimit("97530", 6, 3, "")], effective=dt.date(2024, 7, 1))
    table.add_version([MueLimit("97530", 4, 3, "")], effective=dt.date(2025, 1, 1))
    assert table.limit("97530", dt.date(2024, 12, 31)).max_units == 6  # type: ignore[union-attr]
    assert table.limit("97530", dt.date(2025, 1, 1)).max_units == 4  # type: ignore[union-attr]


def test_preamble_row_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "mue.csv"
    path.write_bytes(
        b'"CPT codes and descriptions only are copyright 2024 AMA, All Rights Reserved."\r\n'
        + HEADER.encode()
        + b"\r\n97110,6,3 Date of Service Edit: Clinical,Clinical: Data\r\n"
    )
    [limit] = iter_mue_file(path)
    assert limit == MueLimit("97110", 6, 3, "Clinical: Data")


def test_wrong_file_is_refused(ptp_file: Path, tmp_path: Path) -> None:
    with pytest.raises(RefdataFormatError, match="line 1"):
        list(iter_mue_file(ptp_file))
    path = tmp_path / "mue.csv"
    path.write_text(f"{HEADER}\n97110,6,3 Date of Service Edit: Clinical,x\n97530,six,3,x\n")
    with pytest.raises(RefdataFormatError) as info:
        list(iter_mue_file(path))
    assert (info.value.line, info.value.column) == (3, 2)


@pytest.mark.parametrize("units", ["²", "１２", "9" * 5000, "6.0"])
def test_a_units_cell_that_is_no_plain_number_is_refused_by_line(
    tmp_path: Path, units: str
) -> None:
    path = tmp_path / "mue.csv"
    path.write_text(f"{HEADER}\n97530,{units},3,x\n", encoding="utf-8")
    with pytest.raises(RefdataFormatError) as info:
        list(iter_mue_file(path))
    assert (info.value.line, info.value.column) == (2, 2)
