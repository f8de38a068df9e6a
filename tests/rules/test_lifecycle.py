"""Rule lifecycle (as in ruff): since and status, retired codes never reused, severities that come
from the rule or the payer profile, and fixes that change billed amounts are never safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otbill.errors import ConfigError
from otbill.payers import load_profiles
from otbill.rules import registry, retired
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_claim
from otbill.rules.registry import (
    Applicability,
    Case,
    Edit,
    Fix,
    Rule,
    Severity,
    Status,
    load_rules,
    parse_doc,
    rule,
)
from otbill.rules.selection import check_profile_severities, select_rules
from support.claimkit import TODAY, clean_claim_data, make_claim

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "otbill" / "rules"
_DOC = "In short: z\nWhat it checks: a\nWhy payers deny it: b\nExample: c\nFix: d\nSource: e"


def _check(claim, ctx):
    return []


_check.__doc__ = _DOC


def test_every_rule_says_since_when_and_its_status():
    for r in load_rules(preview=True):
        assert re.fullmatch(r"\d+\.\d+\.\d+", r.since), r.code
        assert isinstance(r.status, Status), r.code
    assert {r.since for r in load_rules()} == {"0.1.0"}  # every rule so far came with 0.1.0


def test_a_rule_without_since_is_refused():
    with pytest.raises(TypeError, match="since"):
        rule("COD998", "no-since", "code", Severity.ERROR)(_check)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="since"):
        rule("COD998", "from-the-future", "code", Severity.ERROR, since="99.0.0")(_check)


def test_a_retired_code_or_name_is_never_reused(monkeypatch):
    gone = retired.RetiredRule("COD998", "old-check", "0.2.0", "merged into COD001", "COD001")
    monkeypatch.setattr(retired, "RETIRED", (gone,))
    with pytest.raises(ConfigError, match="retired in 0.2.0"):
        rule("COD998", "new-check", "code", Severity.ERROR, since="0.1.0")(_check)
    with pytest.raises(ConfigError, match="never reused"):
        rule("COD997", "old-check", "code", Severity.ERROR, since="0.1.0")(_check)
    with pytest.raises(ConfigError, match="reserved"):
        rule("COD000", "engine-notice", "code", Severity.INFO, since="0.1.0")(_check)


def test_no_rule_takes_a_retired_or_reserved_code():
    codes = {r.code for r in load_rules(preview=True)}
    names = {r.name for r in load_rules(preview=True)}
    assert not codes & ({r.code for r in retired.RETIRED} | set(retired.RESERVED))
    assert not names & {r.name for r in retired.RETIRED}


def test_a_code_taken_by_another_rule_is_refused():
    def other_check(claim, ctx):
        return []

    other_check.__doc__ = _DOC
    with pytest.raises(ConfigError, match="taken by COD001"):
        rule("COD001", "something-else", "code", Severity.ERROR, since="0.1.0")(other_check)


def test_rule_bodies_compute_no_severity():
    """Severity comes from the rule's declaration (default or named case) or the payer profile."""
    bodies = [p for p in RULES_DIR.glob("*/*.py") if not p.name.startswith("_")]
    assert len(bodies) == len(load_rules(preview=True))
    offenders = [p.name for p in bodies if "severity=" in p.read_text(encoding="utf-8")]
    assert not offenders


def test_a_finding_names_only_a_declared_case(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # register a test rule
    declared = rule(
        "COD996",
        "with-a-case",
        "code",
        Severity.ERROR,
        since="0.1.0",
        cases={"minor": Case(Severity.INFO, "it is minor")},
    )(_check)
    assert declared.finding("m", case="minor").severity is Severity.INFO
    assert declared.finding("m").severity is Severity.ERROR
    with pytest.raises(KeyError, match="major"):
        declared.finding("m", case="major")


def _assistant_claim(profile: str):
    claim = clean_claim_data()
    claim["payer"]["profile"] = profile
    claim["rendering_provider"]["credential"] = "COTA/L"
    return make_claim(claim)


def _findings(claim, profiles, select):
    run = ScrubContext(profiles=profiles, today=TODAY)
    return scrub_claim(claim, run, select_rules(load_rules(), select))


def test_per_payer_severity_comes_from_the_profile():
    profiles = load_profiles()
    assert profiles["commercial-in-network"].severity == {"PRV004": "warning"}
    strict = _findings(_assistant_claim("medicare"), profiles, ["PRV004"])
    lenient = _findings(_assistant_claim("commercial-in-network"), profiles, ["PRV004"])
    assert [f.severity for f in strict.findings] == [Severity.ERROR] and strict.status == "held"
    assert [f.severity for f in lenient.findings] == [Severity.WARNING]
    assert lenient.status == "review"


def test_a_clinic_profile_sets_a_rules_severity(tmp_path):
    (tmp_path / "acme.yaml").write_text(
        "name: acme\ninherits: medicare\nseverity: {COD001: info}\n", encoding="utf-8"
    )
    profiles = load_profiles([tmp_path])
    claim = clean_claim_data()
    claim["payer"]["profile"] = "acme"
    claim["lines"][0]["code"] = "97350"
    result = _findings(make_claim(claim), profiles, ["COD001"])
    assert [(f.rule, f.severity) for f in result.findings] == [("COD001", Severity.INFO)]
    assert result.status == "clean"


def test_a_rule_crash_stays_an_error_whatever_the_profile():
    def explode(claim, ctx):
        raise RuntimeError

    boom = Rule("COD995", "boom", "code", Severity.INFO, explode, parse_doc("COD995", _DOC),
                "0.1.0", Status.STABLE)  # fmt: skip
    medicare = load_profiles()["medicare"].model_copy(update={"severity": {"COD995": "info"}})
    run = ScrubContext(profiles={"medicare": medicare}, today=TODAY)
    result = scrub_claim(make_claim(), run, [boom])
    assert result.status == "held" and result.findings[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("name: x\nseverity: {cod001: warning}\n", "severity"),
        ("name: x\nseverity: {COD001: fatal}\n", "severity"),
        ("name: x\nwrong_discipline_modifiers_are_errors: false\n", "MOD002: warning"),
    ],
)
def test_bad_severity_entries_are_refused(tmp_path, text, named):
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        load_profiles([tmp_path])


def test_a_severity_for_a_code_no_rule_has_is_refused():
    profiles = load_profiles()
    check_profile_severities(profiles, load_rules())
    profiles["medicare"] = profiles["medicare"].model_copy(update={"severity": {"COD123": "info"}})
    with pytest.raises(ConfigError, match="COD123"):
        check_profile_severities(profiles, load_rules())


def test_a_fix_that_changes_a_billed_amount_is_never_safe():
    for field in ("units", "charge", "total_charge"):
        with pytest.raises(ValueError, match="billed amount"):
            Fix("f", (Edit(field, 1, None if field == "total_charge" else 0),), Applicability.SAFE)
    assert Fix("f", (Edit("units", 1, 0),), Applicability.UNSAFE).changes_billed_amount
