"""PRV005 rendering-npi-is-billing-npi."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import npi
from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.wording import line


def _same(a: str, b: str) -> bool:
    return npi.compact(a) == npi.compact(b)


@rule("PRV005", "rendering-npi-is-billing-npi", "provider", Severity.ERROR, since="0.1.0")
def rendering_npi_is_billing_npi(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The treating therapist carries the clinic's own NPI instead of her individual NPI.
    What it checks: the therapist named as rendering provider (a person), and every line's own
    rendering NPI, is not the billing provider's NPI. A clinic bills under its organisation
    (Type 2) NPI; each therapist who treats has an individual (Type 1) NPI of her own.
    Why payers deny it: the rendering provider is the individual who furnished the service;
    an organisation's NPI in that place names no enrolled therapist, so the payer cannot match
    the service to a practitioner and denies it (CARC 16 with RARC N290, rendering provider's
    identifier missing or invalid; CARC 185 when the "practitioner" is not eligible). A
    therapist in solo practice who bills under her own individual NPI leaves the rendering
    provider off the claim instead (the 837P's loop 2310B is sent only when it differs from
    the billing provider).
    Example: the clinic bills with NPI 1234567893 and names its therapist Rita Cole with the
    same NPI 1234567893.
    Fix: record the therapist's own individual NPI (from NPPES) on her provider record; a solo
    practitioner billing as herself names no separate rendering provider (a line's NPI equal to
    the billing NPI on a claim that names no rendering therapist is that case, and passes).
    Source: 45 CFR 162.408 and 162.410 (NPPES assigns each individual and each organisation health care provider its own NPI); ASC X12 837P 005010X222A1, loop 2310B rendering provider (required when it differs from the billing provider in 2010AA) and loop 2420A; Medicare Claims Processing Manual, Pub 100-04, ch. 26, §10.2 (item 24J: the rendering provider's NPI).
    """
    billing = claim.billing_provider.npi
    provider = claim.rendering_provider
    if provider is not None and _same(provider.npi, billing):
        yield rendering_npi_is_billing_npi.finding(
            f"the rendering therapist {provider.first_name} {provider.last_name} has the "
            f"clinic's billing NPI {billing}: a therapist who treats needs her own individual "
            "NPI, not the clinic's",
            fix=Fix(
                f"record {provider.first_name} {provider.last_name}'s own individual NPI from "
                "NPPES on her provider record, then rebuild the claim"
            ),
        )
    for i, service in enumerate(claim.lines):
        if service.rendering_npi is None or not _same(service.rendering_npi, billing):
            continue
        if provider is None or _same(provider.npi, billing):
            continue  # a solo practitioner billing as herself, or already reported above
        yield rendering_npi_is_billing_npi.finding(
            f"{line(claim, i)} names the clinic's billing NPI {billing} as the therapist who "
            "furnished it: a therapist needs her own individual NPI",
            line=i,
            fix=Fix(f"set the rendering NPI of line {i + 1} to the treating therapist's own NPI"),
        )
