"""NCCI PTP reader and table, checked against the real CMS v30.1 practitioner subset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from otbill.refdata.formats import RefdataFormatError
from otbill.refdata.ncci import PtpEdit, PtpTable, iter_ptp_file, read_ptp

DOS = dt.date(2025, 2, 14)
HEADER = (
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale"
)


@pytest.fixture(scope="module")
def table(ptp_file: Path) -> PtpTable:
    return read_ptp(ptp_file)


def test_reads_every_row(table: PtpTable) -> None:
    assert len(table) == 30979  # SOURCES.md: 30,979 edit rows


def test_group_therapy_with_therapeutic_activities_modifier_1(table: PtpTable) -> None:
    [edit] = table.edits_between("97530", "97150", DOS)  # either order
    assert (edit.column1, edit.column2, edit.modifier_indicator) == ("97150", "97530", 1)
    assert edit.deleted is None


def test_high_complexity_eval_with_low_complexity_eval_modifier_0(table: PtpTable) -> None:
    [edit] = table.edits_between("97167", "97165", DOS)
    assert (edit.column1, edit.column2, edit.modifier_indicator) == ("97167", "97165", 0)


def test_deleted_edit_fires_only_up_to_its_deletion_date(table: PtpTable) -> None:
    assert table.edits_between("97140", "97530", DOS) == []
    assert table.edits_between("97140", "97530", dt.date(2020, 1, 1)) == []
    [edit] = table.edits_between("97530", "97140", dt.date(2019, 6, 1))
    assert edit.deleted == dt.date(2019, 12, 31)
    assert table.edits_between("97140", "97530", dt.date(2019, 12, 31)) == [edit]


def test_reinstated_pair_is_not_counted_twice(table: PtpTable) -> None:
    # 97167->97165 has a row deleted 2019-12-31 and an active row: one edit per date.
    assert len(table.edits_between("97167", "97165", dt.date(2019, 6, 1))) == 1
    assert len(table.edits_between("97167", "97165", dt.date(2020, 6, 1))) == 1


def test_no_active_edit_between_therapeutic_exercise_and_activities(table: PtpTable) -> None:
    assert table.edits_between("97110", "97530", DOS) == []


def test_active_pairs_for_a_day(table: PtpTable) -> None:
    found = table.active_pairs_for(["97110", "97530", "97140", "97150", "97110"], DOS)
    pairs = {(e.column1, e.column2) for e in found}
    assert ("97150", "97530") in pairs and ("97150", "97110") in pairs
    assert ("97140", "97530") not in pairs
    assert found == sorted(found, key=lambda e: (e.column1, e.column2))
    assert table.active_pairs_for(["97110"], DOS) == []


def test_modifier_9_never_fires() -> None:
    edit = PtpEdit("0591T", "97161", None, dt.date(2020, 1, 1), 9, "x")
    table = PtpTable([edit])
    assert table.edits_between("0591T", "97161", dt.date(2020, 1, 1)) == []
    assert not edit.active_on(dt.date(2019, 1, 1))


def test_effective_date_is_honoured_when_known(tmp_path: Path) -> None:
    path = tmp_path / "ptp.txt"
    path.write_text(
        "CPT codes and descriptions only are copyright American Medical Association.\n"
        f"{HEADER}\n97150\t97530\t\t20200101\t*\t1\tMutually exclusive procedures\n"
        "97012\t97140\t*\t\t20191231\t1\tMisuse\n",
        encoding="latin-1",
    )
    table = read_ptp(path)
    assert table.edits_between("97150", "97530", dt.date(2019, 12, 31)) == []
    assert len(table.edits_between("97150", "97530", dt.date(2020, 1, 1))) == 1
    assert table.edits[1].effective == dt.date(1996, 1, 1)  # '*' = in existence before 1996


def test_wrong_header_names_file_and_line(tmp_path: Path, mue_file: Path) -> None:
    with pytest.raises(RefdataFormatError) as info:
        list(iter_ptp_file(mue_file))
    assert mue_file.name in str(info.value) and "line 1" in str(info.value)
    bad = tmp_path / "bad.txt"
    bad.write_text(HEADER.replace("Effective Date", "Start") + "\r\n", encoding="latin-1")
    with pytest.raises(RefdataFormatError) as info:
        list(iter_ptp_file(bad))
    assert (info.value.line, info.value.column) == (1, 4)


def test_bad_row_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ptp.txt"
    path.write_text(f"{HEADER}\r\n97150\t97530\t\t\t*\t1\tok\r\n97150\t97110\t\t\t*\t7\tbad\r\n")
    with pytest.raises(RefdataFormatError) as info:
        list(iter_ptp_file(path))
    assert (info.value.line, info.value.column) == (3, 6)
    assert str(path) in str(info.value)


def test_header_wrapped_over_two_lines_and_lf(tmp_path: Path) -> None:
    path = tmp_path / "ptp.txt"
    path.write_text(
        "CPT only copyright 2024 American Medical Association.\n\n"
        "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\n"
        "\t\tprior to 1996\tDate\tDate *=no data\t0=not allowed 1=allowed 9=n/a\t\n"
        "97150\t97530\t\t20200101\t*\t1\tMutually exclusive procedures\n"
    )
    [edit] = iter_ptp_file(path)
    assert (edit.column1, edit.effective) == ("97150", dt.date(2020, 1, 1))
