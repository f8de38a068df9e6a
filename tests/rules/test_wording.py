"""Every finding speaks plain words (issue 11 item 8): a line is named by its code and date
("line 2 (97110 on 3 Feb 2025)"), never by a claim-JSON path ("lines[1].modifiers"), and no
message shows a field name, a Python list or an ISO date."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from otbill.rules.wording import day, line, lines
from support.claimkit import clean_claim_data, make_claim, scrub

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value

    return change


def _two_lines(**second: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["lines"].append(dict(data["lines"][0], **second))

    return change


# One defect each, together reaching nearly every rule.
DEFECTS: list[Change] = [
    _set("lines.0.modifiers", []),
    _set("lines.0.modifiers", ["GP"]),
    _set("lines.0.modifiers", ["GO", "GO", "59", "XU"]),
    _set("lines.0.modifiers", ["GO", "ZZ", "95"]),
    _set("lines.0.units", 3),
    _set("lines.0.minutes", None),
    _set("lines.0.charge", "0"),
    _set("lines.0.code", "97350"),
    _set("lines.0.code", "97127"),
    _set("lines.0.code", "97161"),
    _set("lines.0.code", "97130"),
    _set("lines.0.dx_pointers", [1, 3, 3]),
    _set("lines.0.date", "2025-01-05"),
    _set("lines.0.date", "2025-03-05"),
    _set("lines.0.furnished_by_assistant", True),
    _set("lines.0.rendering_npi", "1245319590"),
    _two_lines(),
    _two_lines(code="97150", minutes=30, units=2),
    _two_lines(code="97750", minutes=15, units=1),
    _set("diagnoses", ["W19.XXXD", "M62.8", "M62.91", "m62.8", "62.81"]),
    _set("diagnoses", []),
    _set("total_charge", "10.00"),
    _set("documentation", None),
    _set("documentation.signed", False),
    _set("documentation.goals", False),
    _set("documentation.total_timed_minutes", 40),
    _set("documentation.medical_necessity", False),
    _set("eligibility", None),
    _set("eligibility.active", False),
    _set("eligibility.verified_on", "2024-11-01"),
    _set("eligibility.plan_end", "2025-02-01"),
    _set("eligibility", {"verified_on": "2025-02-01", "active": True, "visit_limit": 20,
                         "visits_used": 20}),
    _set("plan_of_care", None),
    _set("plan_of_care.certified_on", None),
    _set("plan_of_care.recert_due", "2025-02-01"),
    _set("prior_authorization.to", "2025-02-01"),
    _set("prior_authorization.visits_used", 12),
    _set("visit_number", 12),
    _set("rendering_provider.credential", "COTA"),
    _set("rendering_provider.npi", "1234567893"),
    _set("referring_provider", None),
    _set("ytd_therapy_allowed", "2400.00"),
    _set("ytd_therapy_allowed", "2990.00"),
    _set("telehealth", True),
    _set("payer.profile", "commercial-in-network"),
    _set("history", [{"claim_id": "CLM-0000", "date": "2025-02-14", "code": "97530",
                      "rendering_npi": "1245319599", "units": 2}]),
]  # fmt: skip
# What a message must never show: a JSON path, a field name, a Python list, an ISO date.
CODE_LIKE = re.compile(r"\w\[\d*\]|\b[a-z]+(?:_[a-z]+)+\b|\['|\b\d{4}-\d{2}-\d{2}\b")


def _findings():
    for change in DEFECTS:
        data = clean_claim_data()
        change(data)
        yield from scrub(make_claim(data), today=make_claim(data).lines[0].date.replace(day=20))


def test_the_defects_reach_most_rules():
    assert len({f.rule for f in _findings()}) >= 40


@pytest.mark.parametrize("part", ["message", "fix"])
def test_no_finding_reads_like_code(part):
    offenders = set()
    for f in _findings():
        text = f.message if part == "message" else (f.fix.description if f.fix else "")
        if f.rule in ("DGN002",):  # the ICD-10-CM release's own words name its dates
            continue
        if CODE_LIKE.search(text):
            offenders.add(f"{f.rule}: {text}")
    assert not offenders, "\n".join(sorted(offenders))


def test_lines_are_named_by_code_and_date():
    claim = make_claim()
    assert line(claim, 0) == "line 1 (97530 on 14 Feb 2025)"
    assert lines(claim, [0]) == "line 1 (97530 on 14 Feb 2025)"
    data = clean_claim_data()
    data["lines"] += [dict(data["lines"][0], date="2025-02-03")] * 2
    claim = make_claim(data)
    assert lines(claim, [1, 2]) == "lines 2 and 3 (97530 on 3 Feb 2025)"
    assert day(claim.lines[1].date) == "3 Feb 2025"


def test_a_missing_go_modifier_reads_as_the_issue_asks(clean):
    clean["lines"][0].update(code="97110", date="2025-02-03", modifiers=[])
    (finding,) = scrub(make_claim(clean), select=["MOD001"])
    assert finding.message.startswith("line 1 (97110 on 3 Feb 2025) has no GO modifier")
