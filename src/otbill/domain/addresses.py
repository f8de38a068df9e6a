"""US postal addresses as claims need them: a USPS state code and a five- or nine-digit ZIP code.

Why one home: registration, the clinic's setup, locations and payers' claim addresses all check
addresses, and an 837P's N4 segment carries the same two fields (N402 state, N403 ZIP, X12 5010
837P TR3 loops 2010AA/2010BA/2310C). A state code that does not exist ("XX", "TE") is refused by
the clearinghouse, so the check is against the USPS list, not a pattern.

>>> state_code(" tx ", "patient address")
'TX'
>>> zip_code("02110-1234", "clinic address")
'021101234'
>>> state_code("XX", "location address")
Traceback (most recent call last):
...
otbill.domain.record_errors.RecordError: location address state 'XX': not a US state or territory code; use the two-letter code, such as MA
"""

from __future__ import annotations

import re

from otbill.domain.record_errors import RecordError

__all__ = ["STATE_CODES", "state_code", "zip_code"]

#: USPS two-letter codes: the 50 states, DC, the territories and the military "states"
#: (USPS Publication 28, Appendix B).
STATE_CODES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
        "UM",
        "FM",
        "MH",
        "PW",
        "AA",
        "AE",
        "AP",
    ]
)
_ZIP = re.compile(r"[0-9]{5}(?:[0-9]{4})?")


def state_code(value: str, field: str) -> str:
    """The state as a USPS code (upper case), or a refusal naming ``field``."""
    code = value.strip().upper()
    if code not in STATE_CODES:
        raise RecordError(
            f"{field} state {value!r}: not a US state or territory code; use the two-letter "
            "code, such as MA"
        )
    return code


def zip_code(value: str, field: str) -> str:
    """The ZIP code as five or nine digits (a ZIP+4's hyphen dropped), or a refusal."""
    digits = value.strip().replace("-", "")
    if not _ZIP.fullmatch(digits):
        raise RecordError(f"{field} ZIP code {value!r}: five or nine digits")
    return digits
