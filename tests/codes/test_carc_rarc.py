"""CARC and RARC in plain words: known codes described, unknown ones generic, bad shapes refused."""

from __future__ import annotations

import pytest

from otbill.codes import carc, rarc
from otbill.errors import MalformedCode


def test_known_codes_in_plain_words():
    assert "medically necessary" in carc.describe("50")
    assert carc.describe(" co ") and "Contractual" in carc.group_meaning("CO")
    assert "Local Coverage Determination" in rarc.describe("n115")
    assert carc.is_known("197") and rarc.is_known("M62")


def test_well_formed_unknown_codes_are_described_generically():
    assert carc.describe("X99").startswith("Reason code X99")
    assert rarc.describe("N999").startswith("Remark code N999")
    assert not carc.is_known("X99")


@pytest.mark.parametrize(
    ("module", "bad"), [(carc, "1234"), (carc, "CO"), (rarc, "Q12"), (rarc, "N")]
)
def test_malformed_codes_are_refused_naming_them(module, bad):
    assert not module.is_valid(bad)
    with pytest.raises(MalformedCode, match=bad):
        module.validate(bad)
