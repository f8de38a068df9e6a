"""Tests for otbill.codes.npi (check digit per CMS: Luhn over 80840 + first nine digits)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.codes import npi
from otbill.errors import InvalidCheckDigit, MalformedCode

nine_digits = st.from_regex(r"[12][0-9]{8}", fullmatch=True)


@pytest.mark.parametrize("good", ["1234567893", "1558598797", "1111111112", " 1234-56789 3 "])
def test_valid_examples(good: str) -> None:
    assert npi.is_valid(good)
    assert npi.validate(good) == npi.compact(good)


def test_cms_example_check_digit() -> None:
    assert npi.calc_check_digit("123456789") == "3"


def test_invalid_check_digit_names_npi_and_expected_digit() -> None:
    with pytest.raises(InvalidCheckDigit) as info:
        npi.validate("1234567890")
    message = str(info.value)
    assert "1234567890" in message
    assert "should be 3" in message
    assert not npi.is_valid("1234567890")


@pytest.mark.parametrize(
    "bad", ["123456789", "12345678931", "123456789X", "3234567893", "0234567893", "", "１234567893"]
)
def test_malformed(bad: str) -> None:
    with pytest.raises(MalformedCode) as info:
        npi.validate(bad)
    assert repr(bad) in str(info.value)
    assert not npi.is_valid(bad)


@pytest.mark.parametrize("bad", ["12345678", "12345678X"])
def test_calc_check_digit_needs_nine_digits(bad: str) -> None:
    with pytest.raises(MalformedCode, match=bad):
        npi.calc_check_digit(bad)


def test_describe() -> None:
    assert "1234567893" in npi.describe("1234567893")
    with pytest.raises(InvalidCheckDigit):
        npi.describe("1234567890")


@given(nine_digits)
def test_computed_check_digit_validates(first9: str) -> None:
    number = first9 + npi.calc_check_digit(first9)
    assert npi.validate(number) == number


@given(nine_digits, st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_invalidates(first9: str, position: int, delta: int) -> None:
    number = first9 + npi.calc_check_digit(first9)
    changed_digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    assert not npi.is_valid(changed)


@given(st.text(max_size=14))
def test_is_valid_never_raises(value: str) -> None:
    assert isinstance(npi.is_valid(value), bool)
