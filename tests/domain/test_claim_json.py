"""otbill claim JSON: reading, per-claim errors naming the field, writing back, the schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from otbill.domain.claim import Claim
from otbill.domain.claim_json import (
    ClaimFileError,
    ClaimInputError,
    claim_schema,
    dump_claims,
    parse_claims,
)
from support.claimkit import clean_claim_data

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "claim.schema.json"


def test_one_claim_or_a_list():
    one = parse_claims(json.dumps(clean_claim_data()))
    many = parse_claims(json.dumps([clean_claim_data(), clean_claim_data()]))
    assert len(one) == 1 and isinstance(one[0], Claim)
    assert len(many) == 2 and all(isinstance(c, Claim) for c in many)
    claim = one[0]
    assert (
        claim.lines[0].charge == Decimal("90.00")
        and claim.prior_authorization.from_.isoformat() == "2025-01-01"
    )


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("lines", 0, "minutes"), 2000, "lines[1].minutes"),
        (("lines", 0, "minutes"), -5, "lines[1].minutes"),
        (("lines", 0, "minutes"), 12.5, "lines[1].minutes"),
        (("lines", 0, "date"), "2025-02-30", "lines[1].date"),
        (("patient", "dob"), "yesterday", "patient.dob"),
        (("lines", 0, "modifers"), ["GO"], "lines[1].modifers"),
        (("documentation", "note_type"), "diary", "documentation.note_type"),
    ],
)
def test_bad_fields_are_named_with_the_claim(path, value, field):
    good, bad = clean_claim_data(), clean_claim_data()
    bad["claim_id"] = "CLM-BAD"
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    items = parse_claims(json.dumps([good, bad]))
    assert isinstance(items[0], Claim)
    error = items[1]
    assert isinstance(error, ClaimInputError)
    assert error.claim_id == "CLM-BAD" and error.field == field
    assert "CLM-BAD" in str(error) and field in str(error)


def test_claim_without_id_is_named_by_position():
    items = parse_claims(json.dumps([clean_claim_data(), {"lines": []}]))
    assert "claim #2" in str(items[1])


def test_not_json_names_line_and_column():
    with pytest.raises(ClaimFileError, match="line 2"):
        parse_claims('[\n{"claim_id": }')
    with pytest.raises(ClaimFileError, match="claim object"):
        parse_claims("[1, 2]")


def test_dump_round_trips():
    claims = [c for c in parse_claims(json.dumps(clean_claim_data())) if isinstance(c, Claim)]
    again = parse_claims(dump_claims(claims))
    assert again == claims
    assert '"from": "2025-01-01"' in dump_claims(claims)


def test_published_schema_matches_the_model():
    assert SCHEMA_FILE.exists(), "run `otbill schema --output docs/claim.schema.json`"
    assert json.loads(SCHEMA_FILE.read_text()) == claim_schema()
