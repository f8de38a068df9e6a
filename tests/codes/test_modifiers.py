"""Tests for otbill.codes.modifiers and data/modifiers.csv."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.codes import modifiers
from otbill.errors import CodeNotEffective, MalformedCode, UnknownCode


def _rows() -> list[dict[str, str]]:
    path = importlib.resources.files("otbill.codes") / "data" / "modifiers.csv"
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_csv_columns_and_sources() -> None:
    rows = _rows()
    assert list(rows[0]) == [
        "code",
        "category",
        "meaning",
        "effective_from",
        "effective_to",
        "source",
    ]
    assert all(row["source"] and row["meaning"] for row in rows)
    assert len({row["code"] for row in rows}) == len(rows)


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("DISCIPLINE", "discipline"),
        ("THRESHOLD", "threshold"),
        ("ASSISTANT", "assistant"),
        ("NCCI_BYPASS", "ncci_bypass"),
        ("TELEHEALTH", "telehealth"),
        ("REPEAT", "repeat"),
        ("LIABILITY", "liability"),
    ],
)
def test_sets_match_csv(name: str, category: str) -> None:
    expected = {row["code"] for row in _rows() if row["category"] == category}
    assert getattr(modifiers, name) == expected


def test_known_sets() -> None:
    assert {"GO", "GP", "GN"} == modifiers.DISCIPLINE
    assert {"59", "XE", "XS", "XP", "XU"} == modifiers.NCCI_BYPASS
    assert {"95", "93"} <= modifiers.TELEHEALTH


@pytest.mark.parametrize(("raw", "expected"), [("go", "GO"), (" xu ", "XU"), ("59", "59")])
def test_validate_compacts(raw: str, expected: str) -> None:
    assert modifiers.validate(raw) == expected
    assert modifiers.is_valid(raw)


def test_category_and_describe() -> None:
    assert modifiers.category("GO") == "discipline"
    assert modifiers.category("kx") == "threshold"
    assert modifiers.category("CO") == "assistant"
    assert "occupational therapy" in modifiers.describe("GO")
    assert "assistant" in modifiers.describe("CO")


@pytest.mark.parametrize("bad", ["G", "GOO", "G-", "", "9 5 1"])
def test_malformed(bad: str) -> None:
    with pytest.raises(MalformedCode) as info:
        modifiers.validate(bad)
    assert repr(bad) in str(info.value)
    assert not modifiers.is_valid(bad)


def test_unknown_names_modifier() -> None:
    with pytest.raises(UnknownCode, match="'ZZ'"):
        modifiers.validate("zz")
    assert not modifiers.is_valid("ZZ")


@pytest.mark.parametrize(
    ("mod", "before", "first_day"),
    [
        ("CO", dt.date(2019, 12, 31), dt.date(2020, 1, 1)),
        ("CQ", dt.date(2019, 12, 31), dt.date(2020, 1, 1)),
        ("XE", dt.date(2014, 12, 31), dt.date(2015, 1, 1)),
        ("XU", dt.date(2014, 12, 31), dt.date(2015, 1, 1)),
        ("93", dt.date(2021, 12, 31), dt.date(2022, 1, 1)),
    ],
)
def test_effective_dates(mod: str, before: dt.date, first_day: dt.date) -> None:
    with pytest.raises(CodeNotEffective) as info:
        modifiers.validate(mod, on=before)
    assert repr(mod) in str(info.value)
    assert info.value.on == before
    assert not modifiers.is_valid(mod, on=before)
    assert modifiers.validate(mod, on=first_day) == mod


def test_undated_modifier_valid_any_day() -> None:
    assert modifiers.is_valid("GO", on=dt.date(2001, 1, 1))


@given(st.text(max_size=4))
def test_is_valid_never_raises(value: str) -> None:
    assert isinstance(modifiers.is_valid(value), bool)
