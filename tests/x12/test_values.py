"""Numbers in X12 elements: one parser bounds their size and format (issue 11, item 17).

X12 5010 TR3 appendix A.1.3.1.3 (data element types): R is a decimal number in common notation
(ASCII digits, an optional leading minus and decimal point, no exponent) and N0 a whole number of
ASCII digits. otbill caps both at 18 digits, so no element can make a reader build a huge number
or overflow Decimal arithmetic.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from otbill.x12.findings import X12Error
from otbill.x12.read_835 import read_835
from otbill.x12.read_837p import read_837p
from otbill.x12.read_999 import read_999
from otbill.x12.tokens import Delimiters, Segment
from otbill.x12.values import (
    R_MAX_DIGITS,
    R_MAX_WHOLE_DIGITS,
    optional_n0,
    parse_amount,
    parse_d8,
    parse_n0,
)
from support.x12samples import one_claim_837p, tiny_835, tiny_999


def _seg(*elements: str) -> Segment:
    return Segment(7, list(elements), Delimiters())


@pytest.mark.parametrize(
    ("text", "value"),
    [("45", "45"), ("45.00", "45.00"), ("-12.5", "-12.5"), (".5", "0.5"), ("5.", "5"),
     ("9" * 10, "9" * 10)],
)  # fmt: skip
def test_r_values_in_common_notation_are_read(text, value):
    assert parse_amount(_seg("AMT", "B6", text), 2) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["9e999999", "1E2", "²", "１２", "٣", "1_0", "+5", " 5", "5 ", "1.2.3", "-", ".", "NaN",
     "Infinity", "9" * (R_MAX_DIGITS + 1), "0." + "0" * 18],
)  # fmt: skip
def test_other_r_values_name_the_element(text):
    with pytest.raises(X12Error) as err:
        parse_amount(_seg("AMT", "B6", text), 2)
    assert (err.value.position, err.value.segment_id, err.value.element) == (7, "AMT", "AMT02")


@pytest.mark.parametrize("text", ["²", "１", "1e3", "-1", "1.0", "9" * 19])
def test_n0_values_are_plain_ascii_digits(text):
    with pytest.raises(X12Error, match="AK902"):
        parse_n0(_seg("AK9", "A", text), 2)


def test_n0_reads_digits_and_absent_is_none():
    assert parse_n0(_seg("AK9", "A", "0012"), 2) == 12
    assert optional_n0(_seg("AK9", "A"), 2) is None


def test_dates_take_ascii_digits_only():
    with pytest.raises(X12Error, match="CCYYMMDD"):
        parse_d8(_seg("DTP", "472", "D8", "２０２５０２１４"), 3)


def test_an_835_amount_of_9e999999_refuses_the_file_by_name():
    with pytest.raises(X12Error, match=r"CLP04.*'9e999999' is not"):
        read_835(tiny_835(clp_paid="9e999999"))


def test_an_837p_units_value_of_9e999999_skips_the_claim_at_once():
    started = time.monotonic()
    result = read_837p(one_claim_837p(units="9e999999"))
    assert time.monotonic() - started < 1
    assert result.claims == []
    assert any("SV104" in f.message and "9e999999" in f.message for f in result.findings)


@pytest.mark.parametrize("units", ["１２", "²"])
def test_an_837p_units_value_in_other_digits_skips_the_claim(units):
    result = read_837p(one_claim_837p(units=units))
    assert result.claims == []
    assert any("SV104" in f.message for f in result.findings)


def test_an_837p_diagnosis_pointer_of_superscript_two_skips_the_claim():
    result = read_837p(one_claim_837p(pointers="1:²"))
    assert result.claims == []
    assert any("SV107" in f.message and "'²'" in f.message for f in result.findings)


def test_a_999_count_of_superscript_two_is_a_named_error():
    with pytest.raises(X12Error, match="AK904"):
        read_999(tiny_999(accepted_sets="²"))


@pytest.mark.parametrize("text", ["99999999999", "999999999999999999", "-12345678901.5"])
def test_r_values_of_more_than_ten_whole_digits_are_refused(text):
    """No amount can overflow the 64-bit cents columns, alone or summed (TR3 A.1.3.1.3 caps
    money at 10 digits with its cents; otbill allows 10 before the decimal point)."""
    with pytest.raises(X12Error, match=f"more than {R_MAX_WHOLE_DIGITS} digits before"):
        parse_amount(_seg("AMT", "B6", text), 2)


def test_ten_whole_digits_and_eight_decimals_are_read():
    assert parse_amount(_seg("CAS", "CO", "45", "000000000000"), 3) == 0  # padded, as in a corpus
    assert parse_amount(_seg("AMT", "B6", "9999999999.12345678"), 2) == Decimal(
        "9999999999.12345678"
    )


def test_a_999_group_control_number_of_superscript_two_is_a_named_error():
    with pytest.raises(X12Error, match="AK102"):
        read_999(tiny_999().replace(b"AK1*HC*17456*", "AK1*HC*1²*".encode()))
