"""Payer-profile changes a recurring denial proposes: which change each cause proposes for which
profile, none where the profile bills that way already, and the profile with accepted changes
(the changed fields, the denial pattern as their source, the rest untouched)."""

from __future__ import annotations

import pytest

from otbill.payers import load_profiles
from otbill.payers.changes import CHANGES, change_named, propose_change, with_changes

PROFILES = load_profiles()
MEDICARE, COMMERCIAL = PROFILES["medicare"], PROFILES["commercial-in-network"]


@pytest.mark.parametrize(
    ("profile", "cause", "carc", "paired", "telehealth", "expected"),
    [
        ("medicare", "units", "152", False, False, "profile:per-code"),  # pooled today
        ("medicare", "units", "151", False, False, "profile:per-code"),  # MUE on already
        ("commercial-in-network", "units", "151", False, False, "profile:mue"),
        ("commercial-in-network", "units", "152", False, False, None),  # per code already
        ("medicare", "bundling", "97", True, False, None),  # NCCI on already: a clinic rule
        ("medicare", "modifier", "4", False, False, None),  # GO already: a clinic rule
        ("medicare", "documentation", "50", False, False, None),  # the clinic's to fix
        ("commercial-in-network", "benefit-limit", "119", False, False, "profile:kx"),
        ("medicare", "benefit-limit", "119", False, False, None),  # KX thresholds already
    ],
)
def test_which_change_a_cause_proposes(profile, cause, carc, paired, telehealth, expected):  # type: ignore[no-untyped-def]
    change = propose_change(PROFILES[profile], cause, carc, paired=paired, telehealth=telehealth)
    assert (change.key if change else None) == expected


def test_changes_proposed_where_the_profile_has_them_off():
    no_edits = MEDICARE.model_copy(update={"ncci": False, "therapy_modifier": None})
    assert propose_change(no_edits, "bundling", "236", paired=True).key == "profile:ncci"
    assert propose_change(no_edits, "modifier", "4").key == "profile:go"
    gt = MEDICARE.model_copy(
        update={"telehealth": MEDICARE.telehealth.model_copy(update={"modifier": "GT"})}
    )
    assert propose_change(gt, "modifier", "4", telehealth=True).key == "profile:tele-95"
    assert propose_change(MEDICARE, "modifier", "4", telehealth=True) is None  # 95 already


def test_accepted_changes_laid_over_the_profile_with_their_source():
    source = "prevention check 7: 3 denials of 97530 by Medicare, reason code 152"
    changed = with_changes(MEDICARE, [(CHANGES["profile:per-code"], source)])
    assert changed.units_method == "per-code" and MEDICARE.units_method == "cms"
    assert changed.sources["units"] == source
    assert changed.source("units").startswith("prevention check 7")
    assert changed.kx_thresholds == MEDICARE.kx_thresholds  # the rest as it was
    no_modifier = MEDICARE.telehealth.model_copy(update={"modifier": None})
    no_95 = MEDICARE.model_copy(update={"telehealth": no_modifier})
    tele = with_changes(no_95, [(CHANGES["profile:tele-95"], source)])
    assert tele.telehealth.modifier == "95" and tele.telehealth.places_of_service == ("02", "10")
    assert with_changes(COMMERCIAL, []) is COMMERCIAL
    kx = with_changes(COMMERCIAL, [(CHANGES["profile:kx"], source)])
    assert kx.kx_threshold(2025) == MEDICARE.kx_threshold(2025) and kx.sources["kx"] == source
    assert COMMERCIAL.kx_threshold(2025) is None


def test_a_check_names_its_change_by_its_cause():
    assert change_named("profile:mue") is CHANGES["profile:mue"]
    assert change_named("units") is None and change_named("profile:nothing") is None
    assert all(len(key) <= 20 for key in CHANGES)  # kept in prevention_check.cause (20)
