"""CARC/RARC status and dates: the shipped table, and that it agrees with the X12 lists."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from otbill.codes.adjustment_code_dates import dates, in_force, status_words
from support.shared import shared_dir

FOLDER = "refdata/carc_rarc"


def test_deactivated_carc_has_its_stop_date() -> None:
    found = dates("CARC", "15")
    assert found is not None and not found.current and found.stop == dt.date(2018, 5, 1)
    assert in_force("CARC", "15", dt.date(2018, 4, 30)) is True
    assert in_force("CARC", "15", dt.date(2018, 5, 1)) is False
    assert (
        status_words("CARC", "15", dt.date(2025, 1, 1)) == "CARC 15 was deactivated on 2018-05-01"
    )
    assert status_words("CARC", "50", dt.date(2025, 1, 1)) == ""
    assert in_force("RARC", "N115", dt.date(2025, 1, 1)) is True
    assert dates("CARC", "Z999") is None and in_force("CARC", "Z999", dt.date(2025, 1, 1)) is None


@pytest.mark.shared(FOLDER)
def test_shipped_table_matches_the_x12_lists() -> None:
    folder = shared_dir() / FOLDER
    for kind, name in (("CARC", "x12_carc_2026-08-17.csv"), ("RARC", "x12_rarc_2026-08-17.csv")):
        with open(folder / name, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            found = dates(kind, row["code"])
            assert found is not None, (kind, row["code"])
            assert found.current == (row["status"].strip() == "current"), (kind, row["code"])
    with open(
        folder / "x12_carc_rarc_with_dates_2024-06-18.csv", newline="", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            if row["type"] == "CARC" and row["stop_date"]:
                stop = dates("CARC", row["code"])
                assert stop is not None and str(stop.stop) == row["stop_date"]
