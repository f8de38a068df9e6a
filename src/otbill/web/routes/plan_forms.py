"""Reading the plan-of-care forms: whole numbers and diagnosis lists, named when wrong."""

from __future__ import annotations

from collections.abc import Mapping

from otbill.domain.record_errors import RecordError
from otbill.services.frontdesk.plans_of_care import PlanInput
from otbill.web.params import is_whole
from otbill.web.routes.frontdesk_forms import form_date

__all__ = ["diagnoses_of", "physician_of", "plan_input", "whole_number"]


def whole_number(form: Mapping[str, str], name: str, label: str) -> int | None:
    """The field as a whole number (None when empty), or a message naming it."""
    text = (form.get(name) or "").strip()
    if not text:
        return None
    if not is_whole(text, 9):
        raise RecordError(f"{label} {text!r}: expected a whole number")
    return int(text)


def physician_of(form: Mapping[str, str]) -> int:
    """The chosen physician's id, or a message asking for one."""
    physician = whole_number(form, "physician_id", "physician")
    if physician is None:
        raise RecordError("physician: choose the certifying physician (add one under Physicians)")
    return physician


def diagnoses_of(form: Mapping[str, str]) -> list[str]:
    """ICD-10-CM codes typed separated by commas or spaces."""
    return [c for c in (form.get("diagnoses") or "").replace(",", " ").split() if c]


def plan_input(form: Mapping[str, str], patient_id: int) -> PlanInput:
    """What the plan-of-care form says, or a message naming the first bad field."""
    start = form_date(form, "start", "start date", required=True)
    assert start is not None  # required
    return PlanInput(
        patient_id,
        physician_of(form),
        start,
        diagnoses_of(form),
        form.get("goals", ""),
        whole_number(form, "frequency_per_week", "frequency per week") or 0,
        whole_number(form, "duration_weeks", "duration in weeks") or 0,
        whole_number(form, "referral_id", "referral"),
    )
