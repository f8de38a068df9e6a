"""The otbill exception tree.

Exceptions are for bad input that a caller must correct and for bad configuration;
data problems found while checking a claim are findings, not exceptions.

    OtbillError
    ├── CodeError                 a code failed validation (always names the code)
    │   ├── MalformedCode         not shaped like a code of its set (e.g. "97X10", "M62-81")
    │   ├── UnknownCode           well formed, but not in the code set
    │   ├── CodeNotEffective      in the set, but not in force on the date of service
    │   ├── NotBillable           a header (category) code; bill one of its leaves
    │   └── InvalidCheckDigit     an identifier whose check digit does not match (NPI)
    ├── UnitsError                impossible input to the units engine (negative minutes, ...)
    └── ConfigError               a data file or profile that cannot be loaded
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "CodeError",
    "CodeNotEffective",
    "ConfigError",
    "InvalidCheckDigit",
    "MalformedCode",
    "NotBillable",
    "OtbillError",
    "UnitsError",
    "UnknownCode",
]


class OtbillError(Exception):
    """Base of every error otbill raises on purpose."""


class CodeError(OtbillError):
    """A code of some code set failed validation.

    ``code_set`` names the set ("CPT/HCPCS", "ICD-10-CM", "NPI", "modifier", "place of service"),
    ``code`` the offending value as given.
    """

    def __init__(self, code_set: str, code: str, reason: str) -> None:
        self.code_set = code_set
        self.code = code
        self.reason = reason
        super().__init__(f"{code_set} {code!r}: {reason}")


class MalformedCode(CodeError):
    """The value is not shaped like a code of its set."""


class UnknownCode(CodeError):
    """The value is well formed but no such code exists in the set."""


class CodeNotEffective(CodeError):
    """The code exists but is not in force on the date of service."""

    def __init__(self, code_set: str, code: str, reason: str, on: dt.date) -> None:
        self.on = on
        super().__init__(code_set, code, reason)


class NotBillable(CodeError):
    """The code is a header (category) and cannot be billed; a more specific code exists."""


class InvalidCheckDigit(CodeError):
    """The identifier's check digit does not match its other digits."""


class UnitsError(OtbillError):
    """Impossible input to the units engine: negative or non-integer minutes, bad code."""


class ConfigError(OtbillError):
    """A data file, payer profile or setting that cannot be loaded."""
