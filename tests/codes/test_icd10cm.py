"""Tests for otbill.codes.icd10cm against the full shipped ICD-10-CM release."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.codes import icd10cm
from otbill.errors import CodeNotEffective, MalformedCode, NotBillable, UnknownCode

IN_WINDOW = dt.date(2026, 5, 1)


def test_package_ships_the_release_we_record() -> None:
    assert importlib.metadata.version("simple-icd-10-cm") == "1.5.0"
    # Listed from the distribution's RECORD: importing the package would load it eagerly.
    shipped = {path.name for path in importlib.metadata.files("simple-icd-10-cm") or []}
    assert {"code-list-April-2026.txt", "icd10c-tabular-April-1-2026.xml"} <= shipped
    assert icd10cm.RELEASE.fiscal_year == 2026
    # from 1 Oct 2025: the October 2025 order file has the same billable codes (SOURCES.md)
    assert icd10cm.RELEASE.effective_from == dt.date(2025, 10, 1)
    assert icd10cm.RELEASE.effective_to == dt.date(2026, 9, 30)


def test_full_list_is_loaded_not_a_sample() -> None:
    index = icd10cm._index()
    assert len(index) == 98186
    assert sum(entry.billable for entry in index.values()) == 74719


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("M62.81", "M6281"), (" m62.81 ", "M6281"), ("m 6281", "M6281"), ("R26.89", "R2689")],
)
def test_compact(raw: str, expected: str) -> None:
    assert icd10cm.compact(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("M6281", "M62.81"), ("m62.81", "M62.81"), ("R69", "R69")]
)
def test_format(raw: str, expected: str) -> None:
    assert icd10cm.format(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M62.81", "M62.81"),
        ("m6281", "M62.81"),
        ("Z96.651", "Z96.651"),
        ("S52.501A", "S52.501A"),
        ("u071", "U07.1"),
        ("R26.89", "R26.89"),
        ("QA0.0101", "QA0.0101"),
    ],
)
def test_validate_billable_codes(raw: str, expected: str) -> None:
    assert icd10cm.validate(raw) == expected
    assert icd10cm.validate(raw, on=IN_WINDOW) == expected
    assert icd10cm.is_billable(raw)
    assert icd10cm.is_valid(raw)


@pytest.mark.parametrize("header", ["M62.8", "M62", "S52", "S52.501"])
def test_header_codes_are_not_billable(header: str) -> None:
    with pytest.raises(NotBillable) as info:
        icd10cm.validate(header)
    assert header in str(info.value)
    assert "more specific" in str(info.value)
    assert icd10cm.is_valid(header)
    assert not icd10cm.is_billable(header)


def test_not_billable_names_an_example_child() -> None:
    with pytest.raises(NotBillable, match=r"M62\.81"):
        icd10cm.validate("M62.8")


@pytest.mark.parametrize("bad", ["M62-81", "97110", "M", "M6", "M62.81234", "M62..81", "", "M62."])
def test_malformed(bad: str) -> None:
    with pytest.raises(MalformedCode) as info:
        icd10cm.validate(bad)
    assert repr(bad) in str(info.value)
    assert not icd10cm.is_valid(bad)
    assert not icd10cm.is_billable(bad)


@pytest.mark.parametrize("unknown", ["Z99.999", "M62.99", "A00-A09", "U07.9"])
def test_unknown(unknown: str) -> None:
    with pytest.raises((UnknownCode, MalformedCode)) as info:
        icd10cm.validate(unknown)
    assert icd10cm.compact(unknown)[:3] in str(info.value)
    assert not icd10cm.is_valid(unknown)


def test_unknown_names_the_code() -> None:
    with pytest.raises(UnknownCode, match=r"'M62\.99'"):
        icd10cm.validate("M6299")


def test_chapters_and_blocks_are_not_codes() -> None:
    # "1" (a chapter) is malformed; "B99" is both a block and a category: treat as category.
    assert not icd10cm.is_valid("1")
    assert icd10cm.is_valid("B99")
    assert not icd10cm.is_billable("B99")


def test_before_icd10_is_not_effective() -> None:
    on = dt.date(2015, 9, 30)
    with pytest.raises(CodeNotEffective) as info:
        icd10cm.validate("M62.81", on=on)
    assert "M62.81" in str(info.value)
    assert info.value.on == on
    assert not icd10cm.is_valid("M62.81", on=on)
    assert icd10cm.validate("M62.81", on=dt.date(2015, 10, 1)) == "M62.81"


def test_release_for_in_window_is_exact() -> None:
    match = icd10cm.release_for(IN_WINDOW)
    assert match.exact
    assert match.release is icd10cm.RELEASE
    assert icd10cm.release_for(None).exact


@pytest.mark.parametrize("on", [dt.date(2020, 4, 1), dt.date(2026, 10, 1), dt.date(2020, 6, 1)])
def test_release_for_outside_window_flags_nearest(on: dt.date) -> None:
    match = icd10cm.release_for(on)
    assert not match.exact
    assert "nearest" in match.note
    assert on.isoformat() in match.note
    # still validated against the shipped list
    assert icd10cm.validate("M62.81", on=on) == "M62.81"


def test_describe_returns_official_text() -> None:
    assert icd10cm.describe("M62.81") == "Muscle weakness (generalized)"
    assert icd10cm.describe("m628") == "Other specified disorders of muscle"
    with pytest.raises(UnknownCode):
        icd10cm.describe("M62.99")


@given(st.text(max_size=12))
def test_is_valid_and_is_billable_never_raise(value: str) -> None:
    assert isinstance(icd10cm.is_valid(value), bool)
    assert isinstance(icd10cm.is_billable(value), bool)


@functools.cache
def _all_keys() -> list[str]:
    return sorted(icd10cm._index())


@given(st.integers(min_value=0, max_value=98185))
def test_every_code_round_trips(position: int) -> None:
    key = _all_keys()[position]
    dotted = icd10cm.format(key)
    assert icd10cm.is_valid(dotted)
    assert icd10cm.compact(dotted) == key
    assert icd10cm.is_billable(key) == icd10cm._index()[key].billable
