"""ELG003 outside-reported-benefits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "X12 271 eligibility response (005010X279A1): plan dates (2110C DTP 346/347) and " \
    "therapy visit limits (EB with HSD, or MSG); CARC 27, 119"  # fmt: skip


@rule(
    "ELG003",
    "outside-reported-benefits",
    "eligibility",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "over-visit-limit": Case(
            Severity.ERROR,
            "a visit beyond the therapy visit limit the payer's last 271 reported",
        ),
    },
)
def outside_reported_benefits(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A service falls on a day the payer's last eligibility answer says the plan does not
    cover, or beyond the therapy visits that answer said were left.
    What it checks: with the latest 271 kept for the coverage (``eligibility``), each line's
    date lies within the plan dates the payer gave (``plan_begin`` to ``plan_end``); and when
    the payer gave a therapy visit limit and the visits used when it answered
    (``visit_limit``, ``visits_used``), each visit (a distinct date) on or after the check, in
    the same calendar year, counted after the visits used and the visits billed to this payer
    since the check (``history``, this claim's own and replaced lines left out), stays within
    the limit. A 271 that found the coverage inactive on its own date is ELG002's.
    Why payers deny it: services after the plan ended or before it began are not covered
    (CARC 27, expenses incurred after coverage terminated; CARC 26 before it began); visits
    past the benefit maximum are not paid (CARC 119, benefit maximum for this time period
    reached).
    Example: a 271 of 2025-02-01 saying the plan ends 2025-02-28, and a visit on 2025-03-03;
    or a 271 of 2025-02-01 giving 20 visits a year with 19 used, one visit billed since, and
    this claim's visit on 2025-02-14 would be the 21st.
    Fix: check eligibility again for the date of service; bill the patient's current coverage,
    or the patient (with prior notice) when the benefit is used up.
    Source: X12 270/271 (005010X279A1: EB01, DTP 346/347, EB with HSD visit counts, MSG); the payer's benefits as its 271 reports them; CARC 26, 27, 119.
    """
    elig = claim.eligibility
    if elig is None or not elig.active:
        return
    source = ctx.profile.source("eligibility", _SOURCE)
    dates = ctx.lines_by_date
    for date in sorted(dates):
        outside = _outside(date, elig.plan_begin, elig.plan_end)
        if outside:
            for i in dates[date]:
                yield outside_reported_benefits.finding(
                    f"{wording.line(claim, i)}: {outside}, as {claim.payer.name}'s eligibility "
                    f"answer of {wording.day(elig.verified_on)} says",
                    line=i,
                    fix=Fix("check eligibility for this date and bill the coverage in force then"),
                    source=source,
                )
    yield from _over_limit(claim, ctx, source)


def _outside(date: dt.date, begin: dt.date | None, end: dt.date | None) -> str:
    if begin is not None and date < begin:
        return f"the plan only begins on {wording.day(begin)}"
    if end is not None and date > end:
        return f"the plan ended on {wording.day(end)}"
    return ""


def _over_limit(claim: Claim, ctx: ClaimContext, source: str) -> Iterator[Finding]:
    elig = claim.eligibility
    assert elig is not None
    limit, used, checked = elig.visit_limit, elig.visits_used, elig.verified_on
    if limit is None or used is None or claim.frequency_code == "8":
        return
    dates = ctx.lines_by_date
    mine = sorted(d for d in dates if d >= checked and d.year == checked.year)
    skip = {claim.claim_id, claim.original_claim_number}
    since = {
        h.date
        for h in claim.history
        if h.claim_id not in skip and h.date not in dates and h.date >= checked
        and h.date.year == checked.year and h.payer_id in (None, claim.payer.payer_id)
    }  # fmt: skip
    for date in mine:
        number = used + len({d for d in since if d < date}) + mine.index(date) + 1
        if number <= limit:
            continue
        for i in dates[date]:
            yield outside_reported_benefits.finding(
                f"{wording.line(claim, i)} would be visit {number} of the {limit} therapy "
                f"visits {claim.payer.name} reported on {wording.day(checked)} ({used} used "
                f"then, {len(since)} billed since)",
                line=i,
                case="over-visit-limit",
                fix=Fix(
                    "check the visits left with the payer; bill the patient (with prior notice) "
                    "or a secondary payer if the benefit is used up"
                ),
                source=source,
            )
