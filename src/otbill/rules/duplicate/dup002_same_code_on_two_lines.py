"""DUP002 same-code-on-two-lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.codes.modifiers import ASSISTANT, NCCI_BYPASS, REPEAT
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_DISTINCT = NCCI_BYPASS | REPEAT


@rule("DUP002", "same-code-on-two-lines", "duplicate", Severity.WARNING, since="0.1.0")
def same_code_on_two_lines(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: One code is billed on two lines for the same day and therapist; the units belong
    on one line.
    What it checks: a code appears on at most one line per date of service and rendering
    provider on this claim. Lines that legitimately repeat a code are left alone: the
    therapist's and the assistant's parts of a service (one line with CO/CQ or
    ``furnished_by_assistant``, one without, as in CMS's CQ/CO billing examples), and a line
    marked distinct or repeated (59, XE, XS, XP, XU, 76, 77). The second and later lines are
    reported.
    Why payers deny it: the units of one code on one day belong on one line; some MACs reject
    the claim when a timed code is split over several lines for the same date (First Coast,
    for claims received from 19 April 2021), and others deny the second line as a duplicate
    (CARC 18).
    Example: 97530 × 1 and 97530 × 1 on two lines dated 2025-02-14 instead of 97530 × 2 on
    one line.
    Fix: merge the lines into one line with the day's minutes and units (recomputed under the
    8-minute rule) and the combined charge. otbill does not merge lines automatically.
    Source: First Coast Service Options (MAC), "Counting units for therapy services" (each timed code on a single line per date of service, claims received on or after 19 Apr 2021); CARC 18.
    """
    if len(claim.lines) < 2 or claim.frequency_code == "8":
        return
    seen: dict[tuple[dt.date, str, str, bool], int] = {}
    for i, line in enumerate(claim.lines):
        if not _DISTINCT.isdisjoint(line.modifiers):
            continue
        assistant = line.furnished_by_assistant or not ASSISTANT.isdisjoint(line.modifiers)
        key = (line.date, cpt.compact(line.code), ctx.rendering_npi(line), assistant)
        first = seen.setdefault(key, i)
        if first == i:
            continue
        yield same_code_on_two_lines.finding(
            f"{wording.line(claim, i)} repeats line {first + 1}: "
            "bill a code once per date of service, with the day's units on one line",
            line=i,
            fix=Fix(f"merge lines {first + 1} and {i + 1} into one line with the day's units"),
        )
