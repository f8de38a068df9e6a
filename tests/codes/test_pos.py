"""Tests for otbill.codes.pos and data/place_of_service.csv."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.codes import pos
from otbill.errors import CodeNotEffective, MalformedCode, UnknownCode

REQUIRED = [f"{n:02d}" for n in range(1, 28)] + [
    *("31", "32", "33", "34", "41", "42", "49", "50", "51", "52", "53", "54", "55", "56"),
    *("57", "58", "60", "61", "62", "65", "66", "71", "72", "81", "99"),
]


def _rows() -> list[dict[str, str]]:
    path = importlib.resources.files("otbill.codes") / "data" / "place_of_service.csv"
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _pyx12_pos_codes() -> set[str]:
    codes_xml = importlib.resources.files("pyx12") / "map" / "codes.xml"
    root = ET.fromstring(codes_xml.read_text(encoding="utf-8"))
    for codeset in root.iter("codeset"):
        if codeset.findtext("id") == "pos":
            return {code.text or "" for code in codeset.iter("code")}
    raise AssertionError("no pos codeset in pyx12 codes.xml")


def test_csv_columns_and_sources() -> None:
    rows = _rows()
    assert list(rows[0]) == ["code", "meaning", "effective_from", "effective_to", "source"]
    assert all(row["source"] and row["meaning"] for row in rows)


def test_code_list_matches_pyx12_and_brief() -> None:
    ours = {row["code"] for row in _rows()}
    assert ours == _pyx12_pos_codes()
    assert ours == set(REQUIRED)


@pytest.mark.parametrize("code", REQUIRED)
def test_every_required_code_validates_today(code: str) -> None:
    assert pos.validate(code) == code
    assert pos.is_valid(code, on=dt.date(2026, 5, 1))
    assert pos.describe(code)


def test_telehealth() -> None:
    assert frozenset({"02", "10"}) == pos.TELEHEALTH
    assert pos.is_telehealth("10")
    assert pos.is_telehealth(" 02")
    assert not pos.is_telehealth("11")


def test_pos_02_meaning_changed_in_2022() -> None:
    assert "other than their home" in pos.describe("02")
    assert "other than their home" in pos.describe("02", on=dt.date(2022, 1, 1))
    assert "other than" not in pos.describe("02", on=dt.date(2021, 12, 31))
    assert pos.describe("10") == "Telehealth with the patient in their home"


@pytest.mark.parametrize(
    ("code", "first_day"),
    [
        ("10", dt.date(2022, 1, 1)),
        ("27", dt.date(2023, 10, 1)),
        ("19", dt.date(2016, 1, 1)),
        ("58", dt.date(2020, 1, 1)),
        ("66", dt.date(2024, 8, 1)),
    ],
)
def test_effective_from(code: str, first_day: dt.date) -> None:
    before = first_day - dt.timedelta(days=1)
    with pytest.raises(CodeNotEffective) as info:
        pos.validate(code, on=before)
    assert repr(code) in str(info.value)
    assert not pos.is_valid(code, on=before)
    assert pos.validate(code, on=first_day) == code


@pytest.mark.parametrize("bad", ["2", "011", "1A", "", "-1"])
def test_malformed(bad: str) -> None:
    with pytest.raises(MalformedCode) as info:
        pos.validate(bad)
    assert repr(bad) in str(info.value)
    assert not pos.is_valid(bad)


@pytest.mark.parametrize("unknown", ["00", "28", "35", "98"])
def test_unknown(unknown: str) -> None:
    with pytest.raises(UnknownCode) as info:
        pos.validate(unknown)
    assert repr(unknown) in str(info.value)


@given(st.text(max_size=4))
def test_is_valid_never_raises(value: str) -> None:
    assert isinstance(pos.is_valid(value), bool)
