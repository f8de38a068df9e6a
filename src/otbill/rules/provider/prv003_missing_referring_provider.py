"""PRV003 missing-referring-provider."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("PRV003", "missing-referring-provider", "provider", Severity.ERROR, since="0.1.0")
def missing_referring_provider(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The claim does not name the referring physician.
    What it checks: for payers whose profile sets requires_referring_provider (Medicare), the
    claim names the referring provider: the physician or non-physician practitioner (NPP) who
    certifies the therapy plan of care.
    Why payers deny it: Medicare pays outpatient therapy only under a certified plan of care,
    and its MACs edit professional therapy claims for one claim-level referring NPI (837P loop
    2310A, CMS-1500 item 17/17b); a claim without it is rejected as unprocessable (CARC 16,
    RARC N264/N265 missing ordering/referring provider).
    Example: a Medicare claim for 97530 with referring_provider null.
    Fix: add the certifying physician/NPP who signed the plan of care as the referring provider.
    Source: Noridian JE, "Certifying Physician: Identify for Claim Processing" (certifying physician/NPP reported as the referring provider; claim edits require one claim-level referring NPI); Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1 (certification of the plan of care).
    """
    if not ctx.profile.requires_referring_provider or claim.referring_provider is not None:
        return
    yield missing_referring_provider.finding(
        f"the claim names no referring provider: the payer (profile {ctx.profile.name}) "
        "requires the physician or NPP who certified the plan of care",
        fix=Fix("add the certifying physician/NPP (name and NPI) as the referring provider"),
        source=ctx.profile.source("referring_provider", missing_referring_provider.doc.source),
    )
