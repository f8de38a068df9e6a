"""Charts mark small samples (issue 14): a month with 2 claims is not drawn like one with 480."""

from __future__ import annotations

from otbill.web.charts import SMALL_NOTE, line_chart, stacked_bar_chart


def test_a_small_sample_bar_is_hatched_and_labelled():
    svg = str(stacked_bar_chart("Rate", "d", ["Jan", "Feb"], [("Rate", [40.0, 50.0])], "%",
                                [False, True]))  # fmt: skip
    assert svg.count("small sample") == 3  # the label, the tooltip, the note
    assert svg.count('fill="url(#') == 1 and "<pattern" in svg
    assert SMALL_NOTE in svg


def test_a_small_sample_point_is_hollow_and_off_the_line():
    svg = str(line_chart("Rate", "d", ["Jan", "Feb", "Mar"], [("Rate", [40.0, 50.0, 45.0])], "%",
                         [False, True, False]))  # fmt: skip
    assert svg.count('class="small-sample"') == 1 and 'fill="#ffffff"' in svg
    assert "<polyline" not in svg  # Jan and Mar are not joined through the small February


def test_without_small_samples_nothing_changes():
    svg = str(line_chart("Rate", "d", ["Jan", "Feb"], [("Rate", [40.0, 50.0])], "%"))
    assert "small" not in svg and "<polyline" in svg
