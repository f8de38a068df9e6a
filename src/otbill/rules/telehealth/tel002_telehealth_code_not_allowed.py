"""TEL002 telehealth-code-not-allowed."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.telehealth._policy import is_telehealth, window


@rule("TEL002", "telehealth-code-not-allowed", "telehealth", Severity.ERROR, since="0.1.0")
def telehealth_code_not_allowed(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The payer does not pay this service by telehealth on that date.
    What it checks: on a telehealth claim (claim.telehealth, or POS 02/10), the payer pays
    therapy by telehealth on each line's date of service (the profile's telehealth window) and
    the line's code is one it pays by telehealth: the Medicare List of Telehealth Services for
    that date (payers that follow it), any code, or the payer's own list.
    Why payers deny it: Medicare pays a therapist's telehealth only while the statutory waivers
    run (by statutory waiver, lastly through 2027-12-31 under the Consolidated Appropriations Act, 2026) and only for codes on its telehealth list for the date of service;
    other lines are denied (CARC 5: the procedure code or place of service is inconsistent).
    Example: 97140 (manual therapy, not on the list) billed with POS 10 and modifier 95; or a
    therapy telehealth visit dated after the payer's window ends.
    Fix: bill the visit as furnished (in person if it was), or remove the service the payer
    does not pay by telehealth; otbill cannot change how a visit was furnished.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 12, §190; CMS List of Telehealth Services (the list for each calendar year, as recorded in codes/data/medicare_telehealth.csv); SSA §1834(m) and the Consolidated Appropriations Act, 2026 (therapists as telehealth practitioners through 2027-12-31); the payer profile's telehealth policy.
    """
    if not is_telehealth(claim, ctx):
        return
    policy = ctx.profile.telehealth
    source = ctx.profile.source("telehealth")
    codes = policy.codes
    for i, line in enumerate(claim.lines):
        info = ctx.infos[i]
        if info is None:
            continue
        if not policy.allowed_on(line.date):
            yield telehealth_code_not_allowed.finding(
                f"{wording.line(claim, i)} is billed by telehealth, but {window(ctx)}",
                line=i,
                fix=Fix(f"bill line {i + 1} only if the visit was in person, as in person"),
                source=source,
            )
            continue
        if codes == "any":
            continue
        if codes == "medicare-list":
            allowed = cpt.on_medicare_telehealth_list(info.code, line.date)
            which = "the Medicare telehealth list"
        else:
            allowed = info.code in codes
            which = "the payer's telehealth code list"
        if not allowed:
            yield telehealth_code_not_allowed.finding(
                f"line {i + 1} {info.code} ({info.description}) is not on {which} for "
                f"{wording.day(line.date)}: the payer does not pay it by telehealth",
                line=i,
                fix=Fix(f"remove line {i + 1} or bill it only for an in-person visit"),
                source=source,
            )
