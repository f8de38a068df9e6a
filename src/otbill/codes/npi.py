"""National Provider Identifier (NPI): shape and check digit.

Why: a claim with a malformed NPI is rejected at the clearinghouse front end (CARC 206/207),
and a typo in one digit is exactly what the check digit catches before submission.

An NPI is 10 digits and starts with 1 or 2. The last digit is a Luhn check digit computed
over the card-issuer prefix "80840" followed by the first nine digits (CMS, "Requirements for
NPI Check Digit"). The Luhn arithmetic comes from ``stdnum.luhn``; only the NPI rules live here.

>>> validate("123456789 3")
'1234567893'
>>> calc_check_digit("123456789")
'3'
"""

from __future__ import annotations

from stdnum import luhn

from otbill.errors import CodeError, InvalidCheckDigit, MalformedCode

__all__ = ["CODE_SET", "calc_check_digit", "compact", "describe", "is_valid", "validate"]

CODE_SET = "NPI"

#: ISO 7812 issuer prefix for US health applications, prepended before the Luhn check.
_PREFIX = "80840"


def compact(value: str) -> str:
    """Drop the spaces and hyphens people type: ``"1234-56789 3"`` -> ``"1234567893"``."""
    return "".join(value.split()).replace("-", "")


def calc_check_digit(first9: str) -> str:
    """The check digit that completes the nine digits ``first9`` into a valid NPI."""
    if len(first9) != 9 or not first9.isdigit() or not first9.isascii():
        raise MalformedCode(CODE_SET, first9, "need exactly the first 9 digits of an NPI")
    return str(luhn.calc_check_digit(_PREFIX + first9))


def validate(value: str) -> str:
    """Return the compact NPI, or raise MalformedCode / InvalidCheckDigit naming it."""
    npi = compact(value)
    if len(npi) != 10 or not npi.isdigit() or not npi.isascii():
        raise MalformedCode(CODE_SET, value, "an NPI is exactly 10 digits")
    if npi[0] not in "12":
        raise MalformedCode(CODE_SET, value, "an NPI starts with 1 or 2")
    expected = calc_check_digit(npi[:9])
    if npi[9] != expected:
        raise InvalidCheckDigit(
            CODE_SET, npi, f"check digit is {npi[9]} but should be {expected}; check for a typo"
        )
    return npi


def is_valid(value: str) -> bool:
    """True if ``value`` is a well-formed NPI with a correct check digit; never raises."""
    try:
        validate(value)
    except CodeError:
        return False
    return True


def describe(code: str) -> str:
    """A short label for UIs and reports; says nothing about enrolment (NPPES is not consulted)."""
    npi = validate(code)
    return f"NPI {npi} (well-formed, check digit valid; enrolment not verified)"
