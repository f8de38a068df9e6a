"""The 999 reader: accepted or rejected per transaction set, with segment and element errors."""

from __future__ import annotations

from otbill.x12.read_999 import read_999
from support.x12kit import corpus_dir


def test_partially_accepted_group_with_errors_in_words():
    result = read_999(corpus_dir() / "999" / "oop--DHS_Wisconsin_Sample.txt")
    assert result.findings == []
    [group] = result.groups
    assert (group.status, group.sets_accepted, group.control_number) == ("P", 1, "17456")
    first, second, third = group.sets
    assert first.accepted and not second.accepted and not third.accepted
    [seg_error] = second.segment_errors
    assert (seg_error.segment_id, seg_error.position, seg_error.text) == (
        "CLM",
        "22",
        "segment has data element errors",
    )
    [element] = seg_error.elements
    assert (element.position, element.reference, element.text) == (
        "2",
        "782",
        "required data element missing",
    )
    assert seg_error.context == ("CLM01:123456789",)
    assert third.segment_errors[0].text == "required segment missing"
    assert second.set_errors == ("one or more segments in error",)


def test_several_groups_and_sets():
    result = read_999(corpus_dir() / "999" / "pyx12--834_lui_id_5010.999.txt")
    assert result.findings == []
    assert [len(g.sets) for g in result.groups] == [1, 1, 1, 1]
    assert all(s.accepted for g in result.groups for s in g.sets)
