"""The claim-JSON reader over mutated claim files: it returns claims and per-claim errors, or
refuses the file with ``ClaimFileError``, never another exception (issue 11, "Done when").

Every message it gives must print as UTF-8 on one line (a lone surrogate once reached the
terminal and the API's JSON encoder). Bounded and derandomized like the X12 fuzz test.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.domain.claim_json import ClaimFileError, ClaimInputError, dump_claims, parse_claims
from support.fuzzkit import claim_json_seeds, json_mutations, mutate_json

SEEDS = claim_json_seeds()


def _one_printable_line(message: str) -> None:
    assert message.encode("utf-8") and "\n" not in message


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(seed=st.sampled_from(SEEDS), edits=json_mutations())
def test_mutated_claim_json_is_read_or_refused(seed, edits):
    data = mutate_json(seed[1], edits)
    try:
        items = parse_claims(data)
    except ClaimFileError as exc:
        _one_printable_line(str(exc))
        return
    claims = [item for item in items if not isinstance(item, ClaimInputError)]
    for item in items:
        if isinstance(item, ClaimInputError):
            assert str(item).encode("utf-8")
    assert dump_claims(claims).encode("utf-8")
