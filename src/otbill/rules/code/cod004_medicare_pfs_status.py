"""COD004 code-not-payable-by-medicare."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

# Replacement HCPCS for codes Medicare marks invalid (status I), from the PFS relative value file.
_MEDICARE_REPLACEMENT = {"97014": "G0283"}


@rule(
    "COD004",
    "code-not-payable-by-medicare",
    "code",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "bundled": Case(
            Severity.WARNING,
            "the code is bundled (status B): never paid, but may be billed at no charge for the record",
        ),
    },
)
def code_not_payable_by_medicare(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: Medicare does not pay this code: it uses another code for the service, or bundles
    it into others.
    What it checks: for payers that follow the Medicare Physician Fee Schedule status
    indicators, a line's code is not status I (not valid for Medicare: 97014, 98000–98015) and
    not status B (bundled, never paid separately: 97010, 97602).
    Why payers deny it: Medicare rejects status I codes (a HCPCS code replaces them, e.g. G0283
    for unattended electrical stimulation) and pays nothing for status B codes (CARC 97).
    Example: 97014 on a Medicare claim (bill G0283); 97010 hot packs billed with a charge.
    Fix: bill the Medicare replacement code; for a bundled code, remove the line or bill it at
    no charge for the record.
    Source: CMS PFS National Relative Value File RVU25D/RVU26C, STATUS CODE column; RVU25D readme (status I, B).
    """
    if not ctx.profile.pfs_status_edits:
        return
    for i, info in enumerate(ctx.infos):
        if info is None or info.medicare_status not in ("I", "B"):
            continue
        if info.medicare_status == "I":
            replacement = _MEDICARE_REPLACEMENT.get(info.code)
            fix = None
            if replacement:
                fix = Fix(f"bill {replacement} instead of {info.code} on line {i + 1}")
            yield code_not_payable_by_medicare.finding(
                f"{wording.line(claim, i)}: Medicare does not accept this code (fee schedule status I)"
                + (f"; Medicare pays {replacement} for this service" if replacement else ""),
                line=i,
                fix=fix,
            )
        else:
            yield code_not_payable_by_medicare.finding(
                f"{wording.line(claim, i)}: Medicare bundles this code into other services "
                "(fee schedule status B) and never pays it on its own",
                line=i,
                case="bundled",
                fix=Fix(f"remove line {i + 1} or bill it at no charge"),
            )
