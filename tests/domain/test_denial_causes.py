"""Root causes of denials from group code, CARC and RARC."""

from __future__ import annotations

import pytest

from otbill.domain.denial_causes import CAUSES, Cause, Remedy, root_cause


@pytest.mark.parametrize(
    ("group", "carc", "rarcs", "cause"),
    [
        ("CO", "50", (), Cause.DOCUMENTATION),
        ("CO", "50", ("N115",), Cause.DOCUMENTATION),
        ("CO", "197", (), Cause.AUTHORIZATION),
        ("CO", "16", ("M62",), Cause.AUTHORIZATION),  # the remark names the missing item
        ("CO", "16", ("M51",), Cause.CODING),
        ("CO", "16", (), Cause.CODING),
        ("CO", "4", (), Cause.MODIFIER),
        ("CO", "97", ("M80",), Cause.BUNDLING),
        ("CO", "236", (), Cause.BUNDLING),
        ("CO", "151", (), Cause.UNITS),
        ("CO", "18", (), Cause.DUPLICATE),
        ("CO", "29", (), Cause.TIMELY_FILING),
        ("CO", "119", (), Cause.BENEFIT_LIMIT),
        ("CO", "96", ("N640",), Cause.BENEFIT_LIMIT),
        ("OA", "22", (), Cause.COORDINATION),
        ("PR", "27", (), Cause.ELIGIBILITY),
        ("CO", "129", (), Cause.PAYER_ERROR),
        ("PI", "45", (), Cause.PAYER_ERROR),
        ("CO", "45", (), Cause.UNKNOWN),  # the contract write-off is no denial cause
        ("CO", "999", ("X1",), Cause.UNKNOWN),
    ],
)
def test_root_cause(group: str, carc: str, rarcs: tuple[str, ...], cause: Cause) -> None:
    assert root_cause(group, carc, rarcs).cause is cause


def test_a_specific_carc_is_not_overridden_by_a_remark() -> None:
    # CARC 29 is timely filing whatever remark comes with it
    assert root_cause("CO", "29", ("N20",)).cause is Cause.TIMELY_FILING


def test_every_cause_has_words_a_fix_and_appealable_ones_a_letter() -> None:
    assert set(CAUSES) == set(Cause)
    for info in CAUSES.values():
        assert info.words.endswith(".") and info.fix.endswith(".")
        if info.remedy is Remedy.APPEAL:
            assert info.letter is not None, info.cause
