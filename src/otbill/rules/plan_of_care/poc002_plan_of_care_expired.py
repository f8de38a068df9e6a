"""POC002 plan-of-care-expired."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_SOURCE = "Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (recertification)"


@rule("POC002", "plan-of-care-expired", "plan-of-care", Severity.ERROR, since="0.1.0")
def plan_of_care_expired(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The service is dated after the plan of care ran out; the plan needs
    recertification.
    What it checks: no line's date of service falls after the plan of care's recertification
    date (``plan_of_care.recert_due``, the last day it covers). When the plan records no
    recertification date and the payer profile sets ``plan_of_care.recertification_days``
    (Medicare: 90), the plan covers that many calendar days counting its start as day 1, so a
    date of service on or after start + 90 days needs a recertified plan.
    Why payers deny it: a certification covers the plan's duration or 90 calendar days,
    whichever is less; services after it are not under a certified plan and are denied
    (RARC M141; CARC 16/50) until the physician/NPP recertifies.
    Example: a plan starting 2025-01-10 with recertification due 2025-04-09, and a visit on
    2025-04-15.
    Fix: have the physician/NPP recertify the plan (signed and dated) and record the new
    plan and its dates; then bill.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (recertification at least every 90 days); payer profile ``plan_of_care.recertification_days``; RARC M141.
    """
    plan = claim.plan_of_care
    if plan is None or claim.frequency_code == "8":
        return
    if plan.recert_due is not None:
        last_day = plan.recert_due
        basis = f"the plan of care's recertification date, {wording.day(last_day)}"
    else:
        days = ctx.profile.plan_of_care.recertification_days
        if days is None:
            return
        last_day = plan.start + dt.timedelta(days=days - 1)
        basis = (
            f"the {days}-day certification period of the plan starting "
            f"{wording.day(plan.start)} (last day {wording.day(last_day)})"
        )
    if ctx.last_date <= last_day:
        return
    source = ctx.profile.source("plan_of_care", _SOURCE)
    for i, line in enumerate(claim.lines):
        if line.date > last_day:
            yield plan_of_care_expired.finding(
                f"{wording.line(claim, i)} is after {basis}: the plan of "
                "care needs recertification",
                line=i,
                fix=Fix("have the physician/NPP recertify the plan of care and record it"),
                source=source,
            )
