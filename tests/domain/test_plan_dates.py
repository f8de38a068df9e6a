"""Plan-of-care dates: the 30-day certification deadline and the 90-day recertification, at
their boundaries (Pub 100-02, ch. 15, §220.1.3)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from otbill.domain.plans import PlanState, certification_deadline, plan_state, recert_due_from

START = dt.date(2026, 1, 12)


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_signature_is_late_from_the_31st_day() -> None:
    assert plan_state(START, None, None, _day(30)) == PlanState.AWAITING_SIGNATURE
    assert plan_state(START, None, None, _day(31)) == PlanState.SIGNATURE_LATE


def test_recertification_is_due_14_days_before_the_90th_day_and_overdue_after() -> None:
    due = recert_due_from(START)
    assert due == _day(89)
    assert plan_state(START, _day(2), due, due - dt.timedelta(days=15)) == PlanState.CERTIFIED
    assert plan_state(START, _day(2), due, due - dt.timedelta(days=14)) == PlanState.RECERT_DUE
    assert plan_state(START, _day(2), due, due) == PlanState.RECERT_DUE
    assert plan_state(START, _day(2), due, _day(90)) == PlanState.RECERT_OVERDUE
    assert plan_state(START, _day(2), due, _day(90), recertified=True) == PlanState.RECERTIFIED


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_a_plan_covers_exactly_90_days_and_is_signed_within_30(start: dt.date) -> None:
    assert (recert_due_from(start) - start).days + 1 == 90
    assert (certification_deadline(start) - start).days == 30
