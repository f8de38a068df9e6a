"""The units engine against the CMS manual's worked examples and its own invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.codes import cpt
from otbill.errors import UnitsError
from otbill.units import (
    Method,
    compute_units,
    per_code_units,
    timed_units_for_minutes,
)
from otbill.units_explain import explain

TIMED = [c.code for c in cpt.all_codes() if c.timed and c.effective_to is None]
UNTIMED = ["97165", "97010", "97150", "G0283", "97012", "92526"]


def units_of(segments, method=Method.CMS):
    return {line.code: line.units for line in compute_units(segments, method).lines}


# --- The CMS table (Pub 100-04 ch. 5 §20.2; DOMAIN.md §1.2) -------------------------------


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
        (82, 5),
        (83, 6),
        (97, 6),
        (98, 7),
        (112, 7),
        (113, 8),
        (127, 8),
        (128, 9),
    ],
)
def test_cms_table_bands(minutes, units):
    assert timed_units_for_minutes(minutes) == units


# --- The manual's worked examples -----------------------------------------------------------


def test_example_1_extra_unit_to_most_minutes():
    result = compute_units([("97112", 24), ("97110", 23)])
    assert units_of([("97112", 24), ("97110", 23)]) == {"97112": 2, "97110": 1}
    assert result.total_timed_minutes == 47 and result.total_units == 3 and not result.tie


def test_example_2_equal_minutes_is_a_free_choice_never_three_of_one():
    result = compute_units([("97112", 20), ("97110", 20)])
    got = units_of([("97112", 20), ("97110", 20)])
    assert sorted(got.values()) == [1, 2]
    assert got == {"97110": 2, "97112": 1}  # documented tie-break: lower code number
    assert result.tie and set(result.ties[0].codes) == {"97110", "97112"}
    assert any("Tie" in step for step in explain(result))


def test_example_3_short_service_gets_the_left_over_unit():
    assert units_of([("97110", 33), ("97140", 7)]) == {"97110": 2, "97140": 1}


def test_example_4_three_codes_one_unit_each():
    assert units_of([("97110", 18), ("97140", 13), ("97035", 10)]) == {
        "97110": 1,
        "97140": 1,
        "97035": 1,
    }


def test_services_of_seven_minutes_each_earn_one_unit_in_all():
    # R7: each <= 7 minutes, combined >= 8: one unit to the service with the most minutes.
    assert units_of([("97110", 7), ("97140", 5)]) == {"97110": 1, "97140": 0}
    result = compute_units([("97110", 7), ("97140", 7), ("97035", 7)])
    assert result.total_units == 1 and result.tie


def test_single_service_under_eight_minutes_is_not_billed():
    assert units_of([("97530", 7)]) == {"97530": 0}


def test_web_app_scenario_from_issue_6():
    cms = units_of([("97110", 38), ("97140", 9)])
    per_code = units_of([("97110", 38), ("97140", 9)], Method.PER_CODE)
    assert cms == {"97110": 2, "97140": 1}
    assert per_code == {"97110": 3, "97140": 1}


def test_per_code_counts_each_code_on_its_own():
    assert units_of([("97110", 10), ("97116", 10)], Method.PER_CODE) == {"97110": 1, "97116": 1}
    assert units_of([("97110", 10), ("97116", 10)]) == {"97110": 1, "97116": 0}


def test_segments_of_the_same_code_are_added():
    result = compute_units([("97530", 10), ("97110", 5), ("97530", 14)])
    assert [(line.code, line.minutes, line.units) for line in result.lines] == [
        ("97530", 24, 2),
        ("97110", 5, 0),
    ]


def test_untimed_codes_are_one_unit_and_never_timed_minutes():
    result = compute_units([("97165", 60), ("97530", 10), ("97010", 0)])
    assert result.total_timed_minutes == 10
    assert units_of([("97165", 60), ("97530", 10), ("97010", 0)]) == {
        "97165": 1,
        "97530": 1,
        "97010": 1,
    }
    line = next(line for line in result.lines if line.code == "97165")
    assert line.timed is False


def test_other_time_units_are_counted_per_family():
    assert units_of([("97545", 120), ("97546", 90)]) == {"97545": 1, "97546": 1}
    # 151 minutes of work hardening: the first 2 hours (97545) and 31 minutes of a further hour.
    assert units_of([("97545", 60), ("97546", 91)]) == {"97545": 1, "97546": 1}
    assert units_of([("97545", 180)]) == {"97545": 1, "97546": 1}
    assert units_of([("98980", 19)]) == {"98980": 0}
    assert units_of([("98980", 25), ("98981", 40)]) == {"98980": 1, "98981": 2}
    assert units_of([("97550", 60)]) == {"97550": 1, "97551": 2}


# --- Code families: the first unit is the primary code, every later one its add-on (issue 11) ---


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize(
    "segments",
    [[("97129", 45)], [("97129", 29), ("97130", 16)], [("97129", 15), ("97130", 30)],
     [("97130", 45)], [("97129", 20), ("97130", 10), ("97129", 15)]],
)  # fmt: skip
def test_45_minutes_of_cognitive_intervention_are_97129_once_and_97130_twice(segments, method):
    result = compute_units(segments, method)
    assert [(ln.code, ln.minutes, ln.units) for ln in result.lines] == [
        ("97129", 15, 1), ("97130", 30, 2),
    ]  # fmt: skip
    assert result.total_units == 3


def test_a_family_is_pooled_with_the_other_timed_codes():
    # 20 + 20 minutes = 40 timed minutes → 3 units; the families' left-over minutes tie (5 and 5).
    result = compute_units([("97129", 20), ("97110", 20)])
    assert units_of([("97129", 20), ("97110", 20)]) == {"97129": 1, "97110": 2}
    assert result.ties and "97129" in result.ties[0].codes
    assert units_of([("97129", 24), ("97110", 20)]) == {"97129": 1, "97130": 1, "97110": 1}
    assert units_of([("97129", 7)]) == {"97129": 0}


@given(
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=300),
    st.sampled_from([("97129", "97130"), ("97545", "97546"), ("97550", "97551"),
                     ("98980", "98981")]),
    st.sampled_from(list(Method)),
)  # fmt: skip
@settings(max_examples=300)
def test_a_primary_is_billed_once_a_day_and_splitting_minutes_never_changes_units(
    a, b, family, method
):
    primary, add_on = family
    split = units_of([(primary, a), (add_on, b)], method)
    alone = units_of([(primary, a + b)], method)
    assert split.get(primary, 0) <= 1
    assert split.get(primary, 0) + split.get(add_on, 0) == alone.get(primary, 0) + alone.get(
        add_on, 0
    )
    assert split.get(add_on, 0) == alone.get(add_on, 0)
    if split.get(add_on, 0):
        assert split[primary] == 1  # no add-on without its primary


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("segments", "named"),
    [
        ([("97110", -1)], "97110"),
        ([("97110", 2.5)], "97110"),
        ([("97110", True)], "97110"),
        ([("9711O", 10)], "9711O"),
        ([("99999", 10)], "99999"),
        ([("97165", 30), ("97168", 20)], "97165, 97168"),
        ([("97110", 1000), ("97530", 500)], "1500"),
    ],
)
def test_bad_input_raises_naming_the_offender(segments, named):
    with pytest.raises(UnitsError, match=named):
        compute_units(segments)


def test_code_not_in_force_on_the_date_of_service():
    with pytest.raises(UnitsError, match="97127.*2019-12-31"):
        compute_units([("97127", 20)], on=dt.date(2025, 2, 14))
    assert units_of([("97129", 20)]) == {"97129": 1}


def test_same_evaluation_in_two_segments_is_one_evaluation():
    assert units_of([("97165", 20), ("97165", 25)]) == {"97165": 1}


# --- Properties -----------------------------------------------------------------------------

visits = st.lists(
    st.tuples(st.sampled_from(TIMED + UNTIMED), st.integers(min_value=0, max_value=90)),
    min_size=1,
    max_size=6,
).filter(lambda segs: sum(1 for c, _ in segs if cpt.lookup(c).is_evaluation) <= 1)


@given(visits)
@settings(max_examples=300)
def test_cms_total_always_matches_the_table(segments):
    result = compute_units(segments)
    timed_minutes = sum(m for c, m in segments if cpt.lookup(c).timed)
    assert result.total_timed_minutes == timed_minutes
    assert result.total_units == timed_units_for_minutes(timed_minutes)
    assert sum(line.units for line in result.lines if line.basis is cpt.Basis.TIMED) == (
        result.total_units
    )


@given(visits, st.sampled_from(list(Method)))
@settings(max_examples=300)
def test_no_unit_without_minutes_and_never_more_than_minutes_allow(segments, method):
    for line in compute_units(segments, method).lines:
        if line.basis is not cpt.Basis.TIMED:
            assert line.units == 1
        elif method is Method.PER_CODE:
            assert line.units == per_code_units(line.minutes)
        else:
            # CMS: full 15-minute blocks plus at most one partial unit; nothing from nothing.
            assert line.units <= (line.minutes + 14) // 15
            assert line.units >= line.minutes // 15


@given(visits, st.randoms(), st.sampled_from(list(Method)))
@settings(max_examples=300)
def test_permuting_lines_never_changes_units(segments, rnd, method):
    shuffled = list(segments)
    rnd.shuffle(shuffled)
    a, b = compute_units(segments, method), compute_units(shuffled, method)
    assert {ln.code: ln.units for ln in a.lines} == {ln.code: ln.units for ln in b.lines}


@given(visits)
def test_every_result_explains_itself(segments):
    result = compute_units(segments)
    assert explain(result)
    for line in result.lines:
        assert any(line.code in step for step in explain(result))
