"""POST /api/scrub refuses unsound JSON with 422 and one message, never a 500 (issue 11, item 16)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from support.claimkit import clean_claim_data
from support.webkit import log_in, token


@pytest.fixture
def biller(client: TestClient) -> dict[str, str]:
    log_in(client, "biller")
    return {"X-CSRF-Token": token(client, "/login"), "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"claim_id": "CLM-\xff\xfe"}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        (b"[" * 990 + b"]" * 990, "nested deeper"),
        (b'{"claim_id": 1' + b"0" * 5_000 + b"}", "4300 digits"),
        (b'{"claim_id": "CLM-\\ud800"}', "surrogate"),
    ],
)
def test_unsound_json_is_a_422_with_one_message(client, biller, body, said):
    response = client.post("/api/scrub", content=body, headers=biller)
    assert response.status_code == 422, response.text[:300]
    assert said in json.dumps(response.json()["detail"])


def test_a_sound_claim_is_still_scrubbed(client, biller):
    response = client.post("/api/scrub", content=json.dumps(clean_claim_data()), headers=biller)
    assert response.status_code == 200 and response.json()["summary"]["claims"] == 1
