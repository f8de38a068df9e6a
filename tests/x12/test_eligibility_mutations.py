"""Mutated 271s and 270s: every deletion, duplication and truncation is refused naming a segment
or read; nothing crashes."""

from __future__ import annotations

import pytest

from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_270 import read_270
from otbill.x12.read_271 import read_271
from otbill.x12.write_270 import write_270
from support.x12eligibility import THERAPY_271

LINES_271 = THERAPY_271.splitlines(keepends=True)


def _mutations(lines: list[str]) -> list[tuple[str, str]]:
    found = []
    for i in range(len(lines)):
        found.append((f"drop {i + 1}", "".join(lines[:i] + lines[i + 1 :])))
        found.append((f"twice {i + 1}", "".join(lines[: i + 1] + lines[i:])))
        found.append((f"cut {i + 1}", "".join(lines[:i]) + lines[i][: len(lines[i]) // 2]))
    return found


def _check(text: str, reader, set_id: str) -> None:  # type: ignore[no-untyped-def]
    """Refused (X12Error naming where) or findings naming segments; the reader reads or refuses."""
    try:
        findings = validate(text.encode(), set_id)
    except X12Error as exc:
        assert exc.position == 1, str(exc)
        return
    assert findings, "a dropped, doubled or cut segment goes unnoticed"
    assert all(f.position and f.segment_id for f in findings), findings
    try:
        reader(text.encode())
    except X12Error as exc:
        assert str(exc)


@pytest.mark.parametrize(("name", "text"), _mutations(LINES_271), ids=lambda v: v[:12])
def test_a_mutated_271_is_refused_naming_a_segment_or_read(name, text):
    _check(text, read_271, "271")


def _inquiry_270() -> str:
    import datetime as dt

    from otbill.domain.eligibility import Inquiry, Person

    inquiry = Inquiry(
        trace="T-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
        provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
        member_id="ABC123", date_of_service=dt.date(2025, 3, 3), service_types=("AD", "PT"),
        dependent=Person("TIM", "DOE", dt.date(2015, 6, 1), "M"), relationship="child",
        originator="1123456789",
    )  # fmt: skip
    return write_270(inquiry)


@pytest.mark.parametrize(
    ("name", "text"), _mutations(_inquiry_270().splitlines(keepends=True)), ids=lambda v: v[:12]
)
def test_a_mutated_270_is_refused_naming_a_segment_or_read(name, text):
    _check(text, read_270, "270")
