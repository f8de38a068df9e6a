"""Claim JSON that is not sound text or data is refused as a whole, in one line (issue 11, item 16).

Each of these once escaped ``parse_claims`` as a Python exception (a traceback in the CLI, a 500
from the API): bytes that are not UTF-8, arrays nested a thousand deep, an integer of more than
4,300 digits, a string holding half of a UTF-16 surrogate pair.
"""

from __future__ import annotations

import json

import pytest

from otbill.domain.claim import Claim
from otbill.domain.claim_json import MAX_DEPTH, ClaimFileError, parse_claims
from support.claimkit import clean_claim_data


def _claim_text(**changes: object) -> str:
    return json.dumps(clean_claim_data() | changes)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (b'{"claim_id": "CLM-\xff\xfe"}', "not UTF-8 text"),
        ("[" * 100_000 + "]" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        ("[" * 1_001 + "]" * 1_001, f"nested deeper than {MAX_DEPTH} levels"),
        ('{"claim_id": "x", "lines": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
         f"nested deeper than {MAX_DEPTH} levels"),
        ('{"claim_id": 1' + "0" * 5_000 + "}", "a number with more than 4300 digits"),
        ('{"claim_id": "CLM-\\ud800"}', "claim #1 claim_id: 'CLM-\\ud800' holds half of a UTF-16"),
        ('{"CLM-\\udfff": 1}', "claim #1 (a field name): 'CLM-\\udfff' holds half of a UTF-16 surrogate pair"),
    ],
)  # fmt: skip
def test_unsound_text_is_one_clear_error(text, said):
    with pytest.raises(ClaimFileError) as err:
        parse_claims(text)
    message = str(err.value)
    assert said in message and "\n" not in message and len(message) < 200


def test_a_lone_surrogate_in_a_nested_field_is_refused():
    text = _claim_text(patient={**clean_claim_data()["patient"], "last_name": "Lee\udc80"})
    with pytest.raises(ClaimFileError, match=r"claim #2 patient\.last_name: 'Lee\\udc80' holds"):
        parse_claims(f"[{_claim_text()}, {text}]")


def test_a_surrogate_pair_is_one_character_and_read():
    text = _claim_text(claim_id="CLM-\U0001f600")
    assert "\\ud83d\\ude00" in text  # json.dumps escapes it as a pair
    [claim] = parse_claims(text)
    assert isinstance(claim, Claim) and claim.claim_id == "CLM-\U0001f600"


def test_a_huge_float_is_a_field_error_not_a_crash():
    [item] = parse_claims(_claim_text(claim_id="CLM-1").replace('"90.00"', "9e999999", 1))
    assert not isinstance(item, Claim) and "lines[1].charge" in str(item)
