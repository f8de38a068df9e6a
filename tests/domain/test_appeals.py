"""Appeal levels, deadlines, amounts in controversy, letters and recurring denials."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.appeals import (
    LETTERS,
    DenialEvent,
    amount_in_controversy,
    appeal_level,
    fill_letter,
    letter_template,
    outcome_of,
    recurring,
)

DAY = dt.date(2025, 3, 3)


def test_medicare_levels_and_deadlines() -> None:
    first = appeal_level(True, 1, DAY)
    assert (first.name, first.days, first.deadline) == ("Redetermination", 120, dt.date(2025, 7, 1))
    second = appeal_level(True, 2, DAY)
    assert (second.name, second.deadline) == ("Reconsideration", DAY + dt.timedelta(180))
    alj = appeal_level(True, 3, DAY)
    assert alj.amount_in_controversy == 190
    assert not alj.qualifies(18_999) and alj.qualifies(19_000)
    assert appeal_level(True, 3, dt.date(2026, 1, 5)).amount_in_controversy == 200
    with pytest.raises(ValueError, match="1 to 5"):
        appeal_level(True, 6, DAY)


def test_amount_in_controversy_by_year() -> None:
    assert amount_in_controversy(3, 2024) == 180
    assert amount_in_controversy(5, 2026) == 1960
    assert amount_in_controversy(3, 2031) == 200  # the latest known year until a new notice
    assert amount_in_controversy(1, 2025) is None


def test_commercial_appeal_uses_the_contract_days() -> None:
    assert appeal_level(False, 1, DAY, 60).deadline == DAY + dt.timedelta(60)
    assert appeal_level(False, 1, DAY).deadline == DAY + dt.timedelta(180)
    assert appeal_level(False, 1, DAY).amount_in_controversy is None


def test_outcome_from_amount_recovered() -> None:
    assert outcome_of(10_000, 0) == "pending"
    assert outcome_of(10_000, 4_000) == "partial"
    assert outcome_of(10_000, 10_000) == "won"


def test_letter_template_and_fill() -> None:
    assert letter_template("distinct-service") == "distinct-service"
    assert letter_template(None, ("GP", "KX")) == "kx-exception"
    assert letter_template(None) == "medical-necessity"
    text = fill_letter("medical-necessity", {"payer": "Medicare", "code": "97110", "claim": "C1"})
    assert "Medicare denied 97110 on claim C1" in text
    assert "[not on file]" in text  # the facts not given are shown, never invented
    for template in LETTERS:
        assert "{" not in fill_letter(template, {})


def _event(day: int, code: str = "97530", carc: str = "50", payer: int = 1) -> DenialEvent:
    return DenialEvent(payer, code, carc, DAY + dt.timedelta(day), ("97150", "97110"))


def test_recurring_needs_three_in_the_window() -> None:
    events = [_event(0), _event(10), _event(20, carc="97"), _event(30, payer=2)]
    assert recurring(events, DAY + dt.timedelta(40)) == []
    found = recurring([*events, _event(35)], DAY + dt.timedelta(40))
    assert [(p.payer_id, p.code, p.carc, p.count) for p in found] == [(1, "97530", "50", 3)]
    assert found[0].with_code == "97110"
    # a rolling window: the first one falls out 91 days later
    assert recurring([*events, _event(35)], DAY + dt.timedelta(91)) == []
