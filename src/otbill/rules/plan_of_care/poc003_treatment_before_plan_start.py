"""POC003 treatment-before-plan-start."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule
from otbill.rules.wording import day, line

_SOURCE = "Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (certification)"


@rule(
    "POC003",
    "treatment-before-plan-start",
    "plan-of-care",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "plan-not-required": Case(
            Severity.WARNING,
            "the payer's profile does not require a certified plan of care",
        ),
    },
)
def treatment_before_plan_start(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A treatment is dated before the plan of care started, so no plan covers it.
    What it checks: no treatment on the claim is dated before the start of the plan of care it
    is billed under. The initial evaluation, which writes the plan, may come first; every other
    service (treatment, re-evaluation) must fall on or after the plan's start date. An error for
    payers that pay therapy only under a certified plan (``plan_of_care.certification_days``,
    Medicare), a warning for the others.
    Why payers deny it: therapy is covered only when furnished under a plan of care established
    before treatment begins; a service dated before the plan starts was furnished under no plan
    and the certification does not cover it (CARC 50 or 16, RARC M141, missing
    physician-certified plan of care). It is also a common sign of a wrong date on the line or
    on the plan.
    Example: the plan of care starts on 10 Jan 2025 and the claim bills 97530 on 8 Jan 2025.
    Fix: check the dates: correct the line's date of service or the plan's start date if one is
    wrong; a treatment truly given before any plan cannot be billed under this plan.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3 (services are furnished under a plan of care established and certified for the treatment; the initial certification covers the plan from its start, and the evaluation establishes it); §220.1.2 (the plan of care is established before treatment begins); RARC M141.
    """
    plan = claim.plan_of_care
    if plan is None or ctx.first_date >= plan.start:
        return
    required = ctx.profile.plan_of_care.certification_days is not None
    source = ctx.profile.source("plan_of_care", _SOURCE) if required else None
    for i, service in enumerate(claim.lines):
        info = ctx.infos[i]
        if service.date >= plan.start or (info is not None and info.evaluation == "eval"):
            continue
        yield treatment_before_plan_start.finding(
            f"{line(claim, i)} is dated before the plan of care starts ({day(plan.start)}): "
            "it was furnished under no plan, and the plan's certification does not cover it",
            line=i,
            case=None if required else "plan-not-required",
            fix=Fix(
                f"check the date of line {i + 1} and the plan's start date ({day(plan.start)}); "
                "correct whichever is wrong"
            ),
            source=source,
        )
