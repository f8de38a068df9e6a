"""The duplicate family: a service billed before (history or batch), a code on two lines."""

from __future__ import annotations

from otbill.rules.engine import fix_claim
from otbill.rules.registry import Applicability, Severity
from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_duplicate_findings(clean):
    assert not scrub(make_claim(clean), select=["DUP"])


# DUP001 ---------------------------------------------------------------------------------------


def _billed_before(clean, **extra):
    clean["history"].append(
        {"claim_id": "CLM-0000", "date": "2025-02-14", "code": "97530",
         "rendering_npi": "1245319599", **extra}
    )  # fmt: skip


def test_service_already_billed_in_history(clean):
    _billed_before(clean)
    findings = scrub(make_claim(clean), select=["DUP"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DUP001", 1, Severity.ERROR)]
    msg = findings[0].message
    assert (
        "97530" in msg
        and "line 1 (97530 on 14 Feb 2025)" in msg
        and "CLM-0000" in msg
        and "1245319599" in msg
    )
    assert "replacement claim (frequency 7)" in findings[0].fix.description
    assert findings[0].fix.applicability is Applicability.DISPLAY_ONLY


def test_history_without_npi_counts_as_this_provider(clean):
    _billed_before(clean, rendering_npi=None)
    assert [f.rule for f in scrub(make_claim(clean), select=["DUP001"])] == ["DUP001"]


def test_not_a_duplicate(clean):
    _billed_before(clean, rendering_npi="1003000126")  # another therapist
    assert not scrub(make_claim(clean), select=["DUP001"])
    clean["history"][-1].update(rendering_npi="1245319599", payer_id="OTHER")  # another payer
    assert not scrub(make_claim(clean), select=["DUP001"])
    clean["history"][-1].update(payer_id="00435", claim_id="CLM-0001")  # this claim, resent
    assert not scrub(make_claim(clean), select=["DUP001"])
    clean["history"][-1].update(claim_id="CLM-0000")
    clean["lines"][0]["modifiers"] = ["GO", "76"]  # a repeat, marked as such
    assert not scrub(make_claim(clean), select=["DUP001"])


def test_replacement_and_void_claims(clean):
    _billed_before(clean)
    clean["frequency_code"] = "7"
    clean["original_claim_number"] = "CLM-0000"
    assert not scrub(make_claim(clean), select=["DUP001"])
    clean["original_claim_number"] = "ICN-55501"  # the payer's number: cannot link it
    findings = scrub(make_claim(clean), select=["DUP001"])
    assert [f.severity for f in findings] == [Severity.WARNING]
    clean["frequency_code"] = "8"
    assert not scrub(make_claim(clean), select=["DUP001"])


def test_duplicate_earlier_in_the_batch(clean):
    first = make_claim(clean)
    clean["claim_id"] = "CLM-0002"
    second = make_claim(clean)
    findings = scrub([first, second], select=["DUP"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DUP001", 1, Severity.ERROR)]
    assert "claim CLM-0001 earlier in this batch" in findings[0].message


def test_other_patient_in_the_batch_is_not_a_duplicate(clean):
    first = make_claim(clean)
    clean["claim_id"] = "CLM-0002"
    clean["patient"]["id"] = "P002"
    assert not scrub([first, make_claim(clean)], select=["DUP"])


# DUP002 ---------------------------------------------------------------------------------------


def test_same_code_twice_on_one_date(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, minutes=12, units=1), dict(line, minutes=12, units=1)]
    findings = scrub(make_claim(clean), select=["DUP"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DUP002", 2, Severity.WARNING)]
    assert findings[0].message.startswith("line 2 (97530 on 14 Feb 2025) repeats line 1")
    assert findings[0].fix.applicability is Applicability.DISPLAY_ONLY
    fixed, applied, _ = fix_claim(make_claim(clean), *_run(), frozenset({Applicability.SAFE}))
    assert not applied and fixed == make_claim(clean)


def _run():
    import datetime as dt

    from otbill.payers import load_profiles
    from otbill.rules.context import ScrubContext
    from otbill.rules.registry import load_rules
    from otbill.rules.selection import select_rules

    run = ScrubContext(profiles=load_profiles(), today=dt.date(2025, 2, 20))
    return run, select_rules(load_rules(), ["DUP"])


def test_same_code_legitimately_on_two_lines(clean):
    line = clean["lines"][0]
    other_dates = [line, dict(line, date="2025-02-13")]
    clean["lines"] = other_dates
    assert not scrub(make_claim(clean), select=["DUP002"])
    assistant = [
        dict(line, minutes=12, units=1),
        dict(line, minutes=12, units=1, modifiers=["GO", "CO"], furnished_by_assistant=True),
    ]
    clean["lines"] = assistant
    assert not scrub(make_claim(clean), select=["DUP002"])
    clean["lines"] = [line, dict(line, rendering_npi="1003000126")]
    assert not scrub(make_claim(clean), select=["DUP002"])
    clean["lines"] = [line, dict(line, modifiers=["GO", "59"])]
    assert not scrub(make_claim(clean), select=["DUP002"])
