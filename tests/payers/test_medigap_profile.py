"""The packaged Medigap profile: secondary to Medicare, its coding, none of its own limits."""

from __future__ import annotations

from otbill.payers import load_profiles


def test_medigap_follows_medicare_without_its_own_authorization_or_kx():
    gap = load_profiles()["medigap"]
    assert gap.units_method == "cms" and gap.therapy_modifier == "GO"
    assert not gap.authorization_required(1) and not gap.authorization_required(20)
    assert gap.kx_threshold(2025) is None and gap.member_id_pattern is None
    assert "crossover" in gap.sources and "coverage" in gap.sources
