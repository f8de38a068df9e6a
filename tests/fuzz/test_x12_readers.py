"""Every X12 reader over mutated real files: it reads them or refuses them with ``X12Error``,
never another exception (issue 11, "Done when": the fuzz test).

Readers: 837P, 835, 999 and 277CA, the 270/271 guide check (each given every file, whatever its
kind), and the dispatcher ``otbill x12 read`` uses (``read_any``, and ``check_envelope`` for the
kinds only enveloped: 276, 277, 837I, TA1). Bounded for CI: a fixed number of examples, derandomized, so a run takes
seconds and a failure replays the same way.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.x12.dispatch import check_envelope, read_any
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_277ca import read_277ca
from otbill.x12.read_835 import read_835
from otbill.x12.read_837p import read_837p
from otbill.x12.read_999 import read_999
from support.fuzzkit import mutate_x12, x12_mutations, x12_seeds
from support.shared import require_shared

READERS = (read_837p, read_835, read_999, read_277ca, validate)
SEEDS = x12_seeds()
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _read_everywhere(data: bytes) -> None:
    for reader in READERS:
        try:
            result = reader(data)
        except X12Error as exc:
            assert str(exc).encode("utf-8")
        else:
            findings = result if isinstance(result, list) else result.findings
            assert all(str(f).encode("utf-8") for f in findings)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.x12"
        path.write_bytes(data)
        for read in (read_any, check_envelope):
            try:
                read(path)
            except X12Error as exc:
                assert str(exc).encode("utf-8")


@FUZZ
@given(seed=st.sampled_from(SEEDS), edits=x12_mutations())
def test_mutated_files_are_read_or_refused_by_every_reader(seed, edits):
    _read_everywhere(mutate_x12(seed[1], edits))


@pytest.mark.parametrize(("name", "data"), SEEDS, ids=[name for name, _ in SEEDS])
def test_every_seed_is_read_or_refused_by_every_reader(name, data):
    _read_everywhere(data)


def test_the_corpus_is_among_the_seeds():
    """Without the shared corpus the fuzzing starts from the samples only: say so (CI fails)."""
    require_shared("corpus/x12")
    assert len(SEEDS) > 50
