"""The coding audit's pure parts: band edges against the 8-minute table, the seeded sample, the
figures and the outlier rule (strictly more than the margin, enough visits), codes outside OT
scope."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from otbill.domain.coding_audit import (
    AuditLine,
    AuditVisit,
    band_edge,
    draw_sample,
    minutes_per_unit_bin,
    run_audit,
)
from otbill.units import timed_units_for_minutes


@given(st.integers(min_value=0, max_value=1440))
def test_band_edges_are_where_the_table_changes(minutes: int) -> None:
    units = timed_units_for_minutes
    edge = band_edge(minutes)
    if minutes < 8:
        assert edge is None
    else:
        assert (edge == "low") == (units(minutes - 1) < units(minutes))
        assert (edge == "high") == (units(minutes + 1) > units(minutes))


def test_band_edges_named_in_the_manual() -> None:
    assert [m for m in range(0, 70) if band_edge(m) == "low"] == [8, 23, 38, 53, 68]
    assert [m for m in range(0, 70) if band_edge(m) == "high"] == [22, 37, 52, 67]


@given(
    st.sets(st.integers(min_value=1, max_value=10_000), max_size=300),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=2**31),
)
def test_sample_is_redrawn_the_same_from_its_seed(ids: set[int], size: int, seed: int) -> None:
    first = draw_sample(ids, size, seed)
    assert first == draw_sample(sorted(ids, reverse=True), size, seed)  # order does not matter
    assert set(first) <= ids and len(first) == min(size, len(ids))
    assert list(first) == sorted(first)


def test_another_seed_draws_another_sample() -> None:
    assert draw_sample(range(1000), 10, 1) != draw_sample(range(1000), 10, 2)


def test_minutes_per_unit_bins() -> None:
    assert minutes_per_unit_bin(38, 3) == "10-14"
    assert minutes_per_unit_bin(45, 3) == "15-19"
    assert minutes_per_unit_bin(10, 0) is None


def _visit(vid: int, who: int, *lines: tuple[str, int, int, str]) -> AuditVisit:
    name = {1: "Ann Low, OTR/L", 2: "Bo High, OTR/L", 3: "Cy Few, OTR/L"}[who]
    return AuditVisit(
        vid,
        "2025-02-03",
        who,
        name,
        tuple(
            AuditLine(c, m, u, frozenset(filter(None, mods.split(",")))) for c, m, u, mods in lines
        ),
    )


def _clinic() -> list[AuditVisit]:
    visits = []
    vid = 0
    for who, high in ((1, 2), (2, 9)):  # Ann bills 2 of 10 evaluations high, Bo 9 of 10
        for i in range(10):
            vid += 1
            code = "97167" if i < high else "97165"
            visits.append(_visit(vid, who, (code, 45, 1, "GO"), ("97530", 23, 2, "GO")))
    for _ in range(3):  # Cy: all high, but 3 evaluations are too few to flag
        vid += 1
        visits.append(_visit(vid, 3, ("97167", 45, 1, "GO"), ("97110", 8, 1, "GO,59")))
    return visits


def test_figures_and_outliers() -> None:
    audit = run_audit(_clinic())
    clinic = audit.clinic
    assert clinic.visits == 23
    assert (clinic.evaluations["97167"].count, clinic.evaluations["97167"].total) == (14, 23)
    assert clinic.units_per_visit == {1: 3, 2: 20}
    assert clinic.measures["band_low"].count == 23  # 23 and 8 minutes: the lowest of a band
    flagged = {(o.therapist, o.measure) for o in audit.outliers}
    assert ("Bo High, OTR/L", "eval_97167") in flagged  # 90% against the clinic's 60.9%
    assert ("Ann Low, OTR/L", "eval_97167") in flagged  # 20%: more than 15 points below
    assert not any(t == "Cy Few, OTR/L" for t, _ in flagged)  # 3 visits: under the minimum
    bo = next(
        o for o in audit.outliers if o.therapist.startswith("Bo") and o.measure == "eval_97167"
    )
    assert bo.visit_ids == tuple(range(11, 20))  # the nine high-complexity evaluations
    assert "90.0% (9 of 10)" in bo.reason and "60.9%" in bo.reason


def test_a_gap_within_the_margin_is_not_flagged() -> None:
    audit = run_audit(_clinic(), margin=0.45)  # gaps of 29.1 and 40.9 points
    assert not [o for o in audit.outliers if o.measure == "eval_97167"]


def test_codes_outside_ot_scope_are_flagged_with_their_visits() -> None:
    visits = [*_clinic(), _visit(99, 1, ("97161", 40, 1, "GO"))]
    audit = run_audit(visits)
    scope = [o for o in audit.outliers if o.measure == "out_of_scope"]
    assert len(scope) == 1 and scope[0].visit_ids == (99,)
    assert "97161" in scope[0].reason
