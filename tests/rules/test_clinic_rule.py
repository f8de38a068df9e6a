"""CLN001: an accepted prevention check holds the claims its denial pattern names."""

from __future__ import annotations

import dataclasses
import datetime as dt

from otbill.domain.appeals import PreventionCheck
from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_batch
from otbill.rules.registry import Severity, load_rules
from otbill.rules.selection import select_rules
from support.claimkit import make_claim

CHECK = PreventionCheck(
    id=7, payer_id=1, code="97530", carc="97", with_code="97150", cause="bundling", denials=3,
    first_on=dt.date(2025, 1, 10), last_on=dt.date(2025, 2, 1), status="accepted",
    proposed_at=dt.datetime(2025, 2, 2), payer_name="Medicare Part B", payer_code="00435",
)  # fmt: skip


def _findings(claim_data, *checks):  # type: ignore[no-untyped-def]
    run = ScrubContext(profiles=load_profiles(), today=dt.date(2025, 2, 20), clinic_rules=checks)
    rules = select_rules(load_rules(), ["CLN"], [])
    claim = make_claim(claim_data)
    return [f for r in scrub_batch([claim], run, rules) for f in r.findings]


def _with_97150(clean):  # type: ignore[no-untyped-def]
    clean["lines"].append(
        {"date": "2025-02-14", "code": "97150", "minutes": 30, "units": 1, "modifiers": ["GO"],
         "charge": "40.00", "dx_pointers": [1]}
    )  # fmt: skip
    return clean


def test_the_pair_for_this_payer_is_held(clean):  # type: ignore[no-untyped-def]
    found = _findings(_with_97150(clean), CHECK)
    assert [(f.rule, f.line, f.severity) for f in found] == [("CLN001", 1, Severity.ERROR)]
    assert "Medicare Part B denied 97530 with 97150 3 times (reason code 97" in found[0].message
    assert found[0].source.startswith("prevention check 7: 3 denials 97530 with 97150 CARC 97")


def test_not_held_without_the_pair_for_another_payer_or_unless_accepted(clean):  # type: ignore[no-untyped-def]
    assert _findings(clean, CHECK) == []  # 97530 alone
    both = _with_97150(clean)
    assert _findings(both, dataclasses.replace(CHECK, payer_code="60054")) == []
    assert _findings(both, dataclasses.replace(CHECK, status="proposed")) == []
    assert _findings(both, dataclasses.replace(CHECK, status="dismissed")) == []
    assert _findings(both) == []


def test_a_check_without_a_pair_holds_the_code_alone(clean):  # type: ignore[no-untyped-def]
    assert [f.rule for f in _findings(clean, dataclasses.replace(CHECK, with_code=None))] == [
        "CLN001"
    ]
