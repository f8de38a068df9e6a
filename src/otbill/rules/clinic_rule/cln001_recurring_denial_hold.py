"""CLN001 recurring-denial-hold."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("CLN001", "recurring-denial-hold", "clinic-rule", Severity.ERROR, since="0.1.0")
def recurring_denial_hold(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: This payer has denied this code (with this other code) again and again; the
    clinic decided to hold such claims for a look before they go.
    What it checks: each prevention check the clinic accepted on the denials page (a denial
    that recurred: the same payer, code and reason code at least three times within 90 days)
    against the claim's payer (by its payer ID) and lines: a line with the check's code, and,
    when the check names a second code (as in "hold 97530 with 97150 for this payer"), that
    code billed on the same date. Checks proposed or dismissed are not run, nor checks that
    changed the payer's profile instead (those work through the profile: units, edits,
    modifiers).
    Why payers deny it: the payer has already denied the same service for the same reason
    (CARC) several times; sent unchanged, the claim will most likely be denied again, and each
    denial costs an appeal or a write-off.
    Example: Medicare Part B denied 97530 billed with 97150 as CO-97 three times since
    2025-01-10; the clinic accepted the check, and the next claim with 97530 and 97150 on one
    day for that payer is held.
    Fix: read the denial cause the check names (on the denials page) and fix the claim before
    it goes: add the documentation, the modifier or the authorization it lacked, or leave the
    code off. A check that no longer helps is dismissed on the denials page.
    Source: the clinic's own denial history (835 CAS group and reason codes, X12 005010X221A1);
    the check names the denials it came from.
    """
    if not ctx.run.clinic_rules or claim.frequency_code == "8":
        return
    payer = claim.payer.payer_id.strip().upper()
    codes_by_date: dict[object, set[str]] = {}
    for line in claim.lines:
        codes_by_date.setdefault(line.date, set()).add(cpt.compact(line.code))
    for check in ctx.run.clinic_rules:
        if (
            check.status != "accepted"
            or check.profile_change
            or check.payer_code.strip().upper() != payer
        ):
            continue
        for i, line in enumerate(claim.lines):
            if cpt.compact(line.code) != check.code:
                continue
            if check.with_code and check.with_code not in codes_by_date[line.date]:
                continue
            pair = f" with {check.with_code}" if check.with_code else ""
            source = (
                f"prevention check {check.id}: {check.denials} denials {check.code}{pair} "
                f"CARC {check.carc} from {check.first_on} to {check.last_on}"
            )
            yield recurring_denial_hold.finding(
                f"{wording.line(claim, i)}: {check.payer_name or 'this payer'} denied "
                f"{check.code}{pair} {check.denials} times (reason code {check.carc}, "
                f"{check.first_on} to {check.last_on}); the clinic holds such claims for review",
                line=i,
                fix=Fix(
                    f"fix the {check.cause.replace('-', ' ')} problem the denials show, or "
                    "leave the code off, before sending"
                ),
                source=source,
            )
            break
