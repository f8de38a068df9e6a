"""Payer profiles: packaged data, inheritance, a clinic's own profiles, bad files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.errors import ConfigError
from otbill.payers import load_profiles


def test_packaged_profiles_and_their_rules():
    profiles = load_profiles()
    assert set(profiles) >= {
        "medicare",
        "medicaid-example",
        "commercial-in-network",
        "commercial-out-of-network",
    }
    medicare = profiles["medicare"]
    assert medicare.units_method == "cms" and medicare.therapy_modifier == "GO"
    assert medicare.kx_threshold(2024) == Decimal("2330.00")
    assert medicare.kx_threshold(2025) == Decimal("2410.00")
    assert medicare.kx_threshold(2026) == Decimal("2480.00")
    assert medicare.timely_filing_days == 365 and not medicare.authorization_required(5)
    medicaid = profiles["medicaid-example"]
    assert medicaid.units_method == "cms"
    assert not medicaid.authorization_required(1) and medicaid.authorization_required(2)
    inn = profiles["commercial-in-network"]
    assert inn.units_method == "per-code" and inn.authorization_required(1)
    assert inn.timely_filing_days == 90 and inn.visit_limit_per_year == 30
    oon = profiles["commercial-out-of-network"]
    assert (
        oon.timely_filing_days == 180
        and oon.units_method == "per-code"
        and oon.visit_limit_per_year == 30
    )


def test_telehealth_policy_by_date():
    telehealth = load_profiles()["medicare"].telehealth
    assert telehealth.allowed_on(dt.date(2025, 10, 15))  # restored retroactively (2025-11-12)
    assert not telehealth.allowed_on(dt.date(2028, 1, 1))
    assert telehealth.modifier == "95" and telehealth.places_of_service == ("02", "10")


def test_every_rule_topic_names_a_source():
    medicare = load_profiles()["medicare"]
    for topic in ("units", "therapy_modifier", "kx", "timely_filing", "telehealth"):
        assert topic in medicare.sources
    assert "42 CFR 424.44" in medicare.source("timely_filing")


def test_a_clinic_adds_its_own_profile_without_code(tmp_path):
    (tmp_path / "acme.yaml").write_text(
        "name: acme-health\ninherits: commercial-in-network\ntimely_filing_days: 120\n"
        "visit_limit_per_year: 20\nignore: [CMP003]\n"
    )
    profiles = load_profiles([tmp_path])
    acme = profiles["acme-health"]
    assert acme.timely_filing_days == 120 and acme.visit_limit_per_year == 20
    assert acme.units_method == "per-code" and acme.ignore == ("CMP003",)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("name: x\ninherits: nowhere\n", "nowhere"),
        ("name: x\nunits_method: minutes\n", "units_method"),
        ("name: x\ntimely_filing_days: -5\n", "timely_filing_days"),
        ("name: x\nsurprise: 1\n", "surprise"),
        ("name: [unclosed\n", "YAML"),
        ("- just a list\n", "name"),
    ],
)
def test_bad_profiles_name_the_file_and_field(tmp_path, text, named):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(ConfigError, match=named) as exc:
        load_profiles([tmp_path])
    assert "bad.yaml" in str(exc.value)


def test_inheritance_loop_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\ninherits: b\n")
    (tmp_path / "b.yaml").write_text("name: b\ninherits: a\n")
    with pytest.raises(ConfigError, match="loop"):
        load_profiles([tmp_path])
