"""POC001 plan-of-care-not-certified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (certification)"


@rule(
    "POC001",
    "plan-of-care-not-certified",
    "plan-of-care",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "certification-pending": Case(
            Severity.WARNING, "the plan is not certified yet, but its deadline has not passed"
        ),
        "certified-late": Case(
            Severity.WARNING, "the plan was certified after the deadline (delayed certification)"
        ),
    },
)
def plan_of_care_not_certified(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The plan of care is missing, or the physician did not sign it in time.
    What it checks: for payers whose profile sets ``plan_of_care.certification_days``
    (Medicare: 30), the claim has a plan of care — except a claim that bills only an initial
    evaluation, the visit that writes the plan — and the plan is certified (signed and dated by
    the physician/NPP, ``plan_of_care.certified_on``) within that many days of its start (the
    first treatment, the evaluation included). An uncertified plan is an error once the
    deadline (start + N days) has passed, by the last date of service or by today; before the
    deadline it is a warning that certification is pending. A certification dated after the
    deadline is a warning: delayed certification is accepted with the reason for the delay.
    Why payers deny it: Medicare pays outpatient therapy only under a plan of care certified
    by a physician or NPP; claims without timely certification are denied (RARC M141, missing
    physician-certified plan of care; CARC 16/50).
    Example: plan of care starting 2025-01-10, not certified, and a visit on 2025-02-14 (the
    certification was due by 2025-02-09).
    Fix: send the plan to the referring physician/NPP for signature and record the date;
    when the signature comes after the deadline, keep the physician's reason for the delay with
    the record. (From 2025 a signed order/referral plus a plan sent within 30 days of the
    evaluation can stand in for the initial signature; record that as the certification date.)
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (initial certification within 30 days; delayed certification); payer profile ``plan_of_care.certification_days``; RARC M141.
    """
    days = ctx.profile.plan_of_care.certification_days
    if days is None or claim.frequency_code == "8":
        return
    source = ctx.profile.source("plan_of_care", _SOURCE)
    plan = claim.plan_of_care
    if plan is None:
        if all(info is not None and info.evaluation == "eval" for info in ctx.infos):
            return
        yield plan_of_care_not_certified.finding(
            f"the claim has no plan of care: the payer (profile {ctx.profile.name}) pays "
            f"therapy only under a certified plan (visit on {wording.day(ctx.first_date)})",
            fix=Fix("record the plan of care and its certification (physician/NPP signature)"),
            source=source,
        )
        return
    due = plan.start + dt.timedelta(days=days)
    if plan.certified_on is None:
        later = max(ctx.last_date, ctx.today)
        overdue = later > due
        yield plan_of_care_not_certified.finding(
            f"the plan of care starting {wording.day(plan.start)} is not signed by the physician "
            "and "
            + (
                f"had to be by {wording.day(due)}"
                if overdue
                else f"is due to be by {wording.day(due)}"
            ),
            case=None if overdue else "certification-pending",
            fix=Fix("get the physician/NPP to sign and date the plan of care, and record it"),
            source=source,
        )
    elif plan.certified_on > due:
        yield plan_of_care_not_certified.finding(
            f"the physician signed the plan of care on {wording.day(plan.certified_on)}, after the "
            f"certification deadline {wording.day(due)} ({days} days from the plan start "
            f"{wording.day(plan.start)}): a delayed certification needs the reason on record",
            case="certified-late",
            fix=Fix("keep the physician/NPP's reason for the delayed certification on record"),
            source=source,
        )
