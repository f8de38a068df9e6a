"""PRV002 missing-rendering-provider."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("PRV002", "missing-rendering-provider", "provider", Severity.ERROR, since="0.1.0")
def missing_rendering_provider(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The claim does not name the therapist who treated the patient.
    What it checks: for payers whose profile sets requires_rendering_provider, the claim names
    the treating therapist — a claim-level rendering_provider, or a rendering_npi on every line.
    Why payers deny it: when a group or clinic bills (loop 2010AA), the payer pays the enrolled
    therapist who treated (loop 2310B/2420A); without one, Medicare cannot check that the
    therapist is enrolled and reassigned to the group and rejects the claim (CARC 16, RARC N290
    missing rendering provider).
    Example: a Medicare claim from "Hands On OT" (group NPI) with rendering_provider null.
    Fix: name the therapist who furnished the services (the supervising OT when an assistant
    treated). A therapist billing under their own individual NPI may instead use a payer
    profile that does not require a separate rendering provider.
    Source: ASC X12 005010X222A1 837P, loop 2310B (required when the rendering provider differs from the billing provider) and 2420A; Medicare Claims Processing Manual, Pub 100-04, ch. 26, §10.4 (item 24J, rendering provider NPI).
    """
    if not ctx.profile.requires_rendering_provider or claim.rendering_provider is not None:
        return
    missing = [i for i, line in enumerate(claim.lines) if not line.rendering_npi]
    if not missing:
        return
    which = (
        "any line"
        if len(missing) == len(claim.lines)
        else ("lines " + ", ".join(str(i + 1) for i in missing))
    )
    yield missing_rendering_provider.finding(
        f"the claim names no rendering therapist, and no therapist's NPI is on {which}: the "
        f"payer (profile {ctx.profile.name}) requires the treating therapist's NPI",
        fix=Fix("add the rendering provider (the OT who furnished or supervised the services)"),
        source=ctx.profile.source("rendering_provider", missing_rendering_provider.doc.source),
    )
