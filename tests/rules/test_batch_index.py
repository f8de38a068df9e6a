"""The batch index: exact membership for millions of service digests in little memory."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from otbill.rules.context import BatchIndex


@given(
    st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300), st.integers(0, 2**64 - 1)
)
def test_behaves_like_a_set(keys, probe):
    index = BatchIndex(keep_ids_for=10, capacity=8)
    for n, key in enumerate(keys):
        index.add(key, f"C{n}")
    assert len(index) == len({k or 1 for k in keys})
    for key in keys:
        assert key in index
    assert (probe in index) == ((probe or 1) in {k or 1 for k in keys})


def test_names_the_first_claim_while_ids_are_kept():
    index = BatchIndex(keep_ids_for=2)
    index.add(11, "A")
    index.add(11, "B")
    index.add(12, "C")
    index.add(13, "D")
    assert index.claim_for(11) == "A" and index.claim_for(12) == "C"
    assert 13 in index and index.claim_for(13) is None


def test_grows_past_its_first_capacity():
    rng = random.Random(1)
    keys = [rng.getrandbits(64) for _ in range(200_000)]
    index = BatchIndex()
    for key in keys:
        index.add(key, "X")
    assert all(key in index for key in keys[::97]) and len(index) == len(set(keys))
