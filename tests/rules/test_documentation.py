"""The documentation family: missing or unsigned note, missing elements, minutes that disagree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from otbill.rules.registry import Severity
from support.claimkit import make_claim, scrub


def test_clean_claim_has_no_documentation_findings(clean):
    assert not scrub(make_claim(clean), select=["DOC"])


# DOC001 ---------------------------------------------------------------------------------------


def test_no_note(clean):
    clean["documentation"] = None
    findings = scrub(make_claim(clean), select=["DOC"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DOC001", None, Severity.ERROR)]
    assert "no note for this visit" in findings[0].message


def test_unsigned_note(clean):
    clean["documentation"]["signed"] = False
    findings = scrub(make_claim(clean), select=["DOC"])
    assert [(f.rule, f.severity) for f in findings] == [("DOC001", Severity.ERROR)]
    assert findings[0].message == "the daily note for 14 Feb 2025 is not signed by the therapist"
    assert "daily" in findings[0].message


# DOC002 ---------------------------------------------------------------------------------------


def test_daily_note_missing_elements(clean):
    clean["documentation"].update(interventions=False, total_timed_minutes=None)
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DOC002", None, Severity.ERROR)]
    assert findings[0].message == (
        "the daily note for 14 Feb 2025 does not record the interventions given and the total "
        "minutes of timed codes"
    )


def test_daily_note_needs_total_treatment_time(clean):
    clean["documentation"]["total_treatment_minutes"] = None
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert "does not record the total treatment time" in findings[0].message


def test_timed_minutes_needed_only_when_timed_codes_billed(clean):
    clean["lines"][0].update(code="97150", minutes=30, units=1)  # group therapy: untimed
    clean["documentation"]["total_timed_minutes"] = None
    assert not scrub(make_claim(clean), select=["DOC002"])


def test_evaluation_note(clean):
    clean["lines"][0].update(code="97165", minutes=45, units=1)
    clean["documentation"] = {
        "note_type": "evaluation", "signed": True, "current_status": True, "goals": False,
        "medical_necessity": False,
    }  # fmt: skip
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert "the evaluation for 14 Feb 2025" in findings[0].message
    assert "the goals and why skilled therapy is needed (medical necessity)" in findings[0].message
    clean["documentation"].update(goals=True, medical_necessity=True)
    assert not scrub(make_claim(clean), select=["DOC002"])


def test_evaluation_with_treatment_needs_the_treatment_elements(clean):
    line = clean["lines"][0]
    clean["lines"] = [dict(line, code="97165", minutes=45, units=1), line]
    clean["documentation"] = {
        "note_type": "evaluation", "signed": True, "current_status": True, "goals": True,
        "medical_necessity": True,
    }  # fmt: skip
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert (
        "the interventions given, the total treatment time and the total minutes of timed codes"
        in findings[0].message
    )


def test_progress_and_discharge_notes(clean):
    clean["documentation"].update(note_type="progress", goals=False)
    assert "does not record the goals" in scrub(make_claim(clean), select=["DOC002"])[0].message
    clean["documentation"].update(note_type="discharge", goals=True, medical_necessity=False)
    assert not scrub(make_claim(clean), select=["DOC002"])


def test_daily_note_without_medical_necessity_is_a_warning(clean):
    """Issue 11 item 34: a daily note that never says why skilled care is needed is reviewed."""
    clean["documentation"]["medical_necessity"] = False
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert [(f.rule, f.severity) for f in findings] == [("DOC002", Severity.WARNING)]
    assert "does not say why skilled therapy is still needed" in findings[0].message
    assert "14 Feb 2025" in findings[0].message


def test_medical_necessity_stays_an_error_on_evaluations_and_progress_reports(clean):
    clean["documentation"].update(note_type="progress", medical_necessity=False)
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert [(f.rule, f.severity) for f in findings] == [("DOC002", Severity.ERROR)]
    clean["lines"][0].update(code="97168", minutes=30, units=1)
    clean["documentation"].update(note_type="re-evaluation")
    findings = scrub(make_claim(clean), select=["DOC002"])
    assert [(f.rule, f.severity) for f in findings] == [("DOC002", Severity.ERROR)]


# DOC003 ---------------------------------------------------------------------------------------


def test_lines_bill_more_minutes_than_the_note(clean):
    clean["lines"][0].update(minutes=38, units=3)
    findings = scrub(make_claim(clean), select=["DOC003"])
    assert [(f.rule, f.line, f.severity) for f in findings] == [("DOC003", None, Severity.ERROR)]
    assert "38" in findings[0].message and "24" in findings[0].message


def test_note_records_more_minutes_than_billed_is_a_warning(clean):
    clean["documentation"].update(total_timed_minutes=30, total_treatment_minutes=35)
    findings = scrub(make_claim(clean), select=["DOC003"])
    assert [f.severity for f in findings] == [Severity.WARNING]


def test_untimed_lines_do_not_count(clean):
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, code="97150", minutes=20, units=1)]
    clean["documentation"]["total_treatment_minutes"] = 44
    assert not scrub(make_claim(clean), select=["DOC003"])


def test_treatment_time_less_than_timed_time(clean):
    clean["documentation"]["total_treatment_minutes"] = 20
    findings = scrub(make_claim(clean), select=["DOC003"])
    assert [f.severity for f in findings] == [Severity.ERROR]
    assert "total treatment time (20 minutes) is less than its timed minutes (24)" in (
        findings[0].message
    )


def test_several_dates_or_missing_minutes_are_not_compared(clean):
    line = clean["lines"][0]
    clean["lines"] = [line, dict(line, date="2025-02-13")]
    assert not scrub(make_claim(clean), select=["DOC003"])
    clean["lines"] = [dict(line, minutes=None)]
    assert not scrub(make_claim(clean), select=["DOC003"])


@given(st.lists(st.integers(min_value=8, max_value=60), min_size=1, max_size=3))
def test_matching_minutes_never_reported(minutes):
    from support.claimkit import clean_claim_data

    data = clean_claim_data()
    line = data["lines"][0]
    timed = ["97530", "97535", "97110"]
    data["lines"] = [dict(line, code=timed[k], minutes=m, units=1) for k, m in enumerate(minutes)]
    data["documentation"].update(
        total_timed_minutes=sum(minutes), total_treatment_minutes=sum(minutes)
    )
    assert not scrub(make_claim(data), select=["DOC003"])
