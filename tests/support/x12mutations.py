"""Every one-segment mutation of an X12 file, and the check each must pass: the guide's
validator refuses it naming a segment (or the envelope, at position 1), and the reader reads it
or refuses it with an X12Error, never crashing."""

from __future__ import annotations

from collections.abc import Callable

from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate

__all__ = ["refused_naming_a_segment", "segment_mutations"]


def segment_mutations(text: str) -> list[tuple[str, str]]:
    """(name, text) for each segment dropped, doubled and cut in half (one segment a line)."""
    lines = text.splitlines(keepends=True)
    found = []
    for i in range(len(lines)):
        found.append((f"drop {i + 1}", "".join(lines[:i] + lines[i + 1 :])))
        found.append((f"twice {i + 1}", "".join(lines[: i + 1] + lines[i:])))
        found.append((f"cut {i + 1}", "".join(lines[:i]) + lines[i][: len(lines[i]) // 2]))
    return found


def refused_naming_a_segment(
    text: str, set_id: str, reader: Callable[[bytes], object] | None = None
) -> None:
    """The validator names where the mutation is; the reader, when given, reads or refuses."""
    try:
        findings = validate(text.encode(), set_id)
    except X12Error as exc:
        assert exc.position == 1, str(exc)
        return
    assert findings, "a dropped, doubled or cut segment goes unnoticed"
    assert all(f.position and f.segment_id for f in findings), findings
    if reader is None:
        return
    try:
        reader(text.encode())
    except X12Error as exc:
        assert str(exc)
