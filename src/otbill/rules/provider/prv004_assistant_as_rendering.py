"""PRV004 assistant-as-rendering."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.domain.credentials import is_assistant
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("PRV004", "assistant-as-rendering", "provider", Severity.ERROR, since="0.1.0")
def assistant_as_rendering(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: An assistant is named as the treating provider; the supervising therapist must be.
    What it checks: the rendering provider is not a therapy assistant (credential COTA, OTA,
    COTA/L, or PTA). An error; the packaged commercial and Medicaid profiles, whose payers'
    credentialing rules vary, lower it to a warning (``severity: {PRV004: warning}``).
    Why payers deny it: Medicare does not enrol OT or PT assistants as billing or rendering
    providers; services an assistant furnishes are billed under the supervising therapist's
    NPI, with modifier CO (or CQ) on the lines the assistant furnished in whole or in part
    (paid at 85%). A claim naming the assistant is denied (CARC 185, rendering provider not
    eligible) or, if paid, an overpayment.
    Example: rendering_provider {"first_name": "Pat", "credential": "COTA/L"}.
    Fix: make the supervising OT the rendering provider and add CO to the lines the assistant
    furnished.
    Source: 42 CFR 410.59 (outpatient occupational therapy furnished by, or under the supervision of, a qualified occupational therapist; the therapist in private practice is the enrolled supplier, CMS-855I); CMS "Billing Examples Using CQ/CO Modifiers for Services Furnished In Whole or In Part by PTAs and OTAs" (cms.gov; CO/CQ required from 2020-01-01, 85% payment from 2022-01-01; SSA §1834(v)).
    """
    provider = claim.rendering_provider
    if provider is None or not provider.credential or not is_assistant(provider.credential):
        return
    strict = ctx.profile.assistant_modifier_required_from is not None
    yield assistant_as_rendering.finding(
        f"the rendering provider {provider.first_name} {provider.last_name} (NPI "
        f"{provider.npi}) is a therapy assistant ({provider.credential}): the supervising "
        "therapist must be the rendering provider, with CO/CQ on the lines the assistant "
        "furnished",
        fix=Fix(
            "make the supervising OT the rendering provider and add CO to the lines the "
            "assistant furnished (mark them as furnished by the assistant)"
        ),
        source=ctx.profile.source("assistant", assistant_as_rendering.doc.source)
        if strict
        else None,
    )
