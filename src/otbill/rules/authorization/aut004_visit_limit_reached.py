"""AUT004 visit-limit-reached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "plan benefit: therapy visits per calendar year (payer profile); CARC 119"


@rule(
    "AUT004",
    "visit-limit-reached",
    "authorization",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "last-visit": Case(
            Severity.INFO, "the claim uses exactly the last visit the plan pays that year"
        ),
    },
)
def visit_limit_reached(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The patient has used every therapy visit the plan pays for this year.
    What it checks: when the payer profile caps therapy visits per calendar year
    (``visit_limit_per_year``), the visits already billed that year plus this claim's visits
    stay within the cap. A visit is a distinct date of service. Earlier visits are the
    distinct dates in ``history`` in the same calendar year, leaving out lines of this same
    claim (a resubmission), of the claim a replacement replaces (``original_claim_number``),
    and lines billed to another payer (``history.payer_id`` set and different). This claim's
    dates count after them, in date order; each one past the cap is an error. When the claim
    uses exactly the last visit of the year, an info finding says so. Void claims are skipped.
    Why payers deny it: the benefit maximum is reached and the plan pays nothing more that
    year (CARC 119, benefit maximum for this time period reached); the patient may owe the
    visit only if told in advance.
    Example: a commercial plan with 30 visits a year, 30 dates already billed in 2025, and
    this claim's visit on 2025-11-03 would be the 31st.
    Fix: check the count with the payer (some plans grant more on medical review); otherwise
    bill the patient under the plan's rules (with prior notice), or a secondary payer.
    Source: payer profile ``visit_limit_per_year`` (typical commercial therapy benefit: 30 visits per calendar year); CARC 119.
    """
    limit = ctx.profile.visit_limit_per_year
    if limit is None or claim.frequency_code == "8":
        return
    dates = ctx.lines_by_date
    years = {d.year for d in dates}
    skip = {claim.claim_id, claim.original_claim_number}
    payer = claim.payer.payer_id
    earlier: dict[int, set[dt.date]] = {y: set() for y in years}
    for h in claim.history:
        if h.claim_id in skip or h.date in dates or h.date.year not in earlier:
            continue
        if h.payer_id is None or h.payer_id == payer:
            earlier[h.date.year].add(h.date)
    source = ctx.profile.source("visit_limit", _SOURCE)
    for year in sorted(years):
        before = len(earlier[year])
        mine = sorted(d for d in dates if d.year == year)
        if before + len(mine) < limit:
            continue
        if before + len(mine) == limit:
            yield visit_limit_reached.finding(
                f"the visit on {wording.day(mine[-1])} is the last of the {limit} visits the "
                f"plan pays in {year}; further visits that year will be denied",
                case="last-visit",
                source=source,
            )
            continue
        for k, date in enumerate(mine, start=1):
            if before + k <= limit:
                continue
            yield visit_limit_reached.finding(
                f"the visit on {wording.day(date)} would be visit {before + k} in {year}, over "
                f"the plan's limit of {limit} visits per year ({before} already billed in "
                f"history)",
                line=dates[date][0],
                fix=Fix(
                    "confirm the visit count with the payer; bill the patient (with prior "
                    "notice) or a secondary payer if the benefit is used up"
                ),
                source=source,
            )
