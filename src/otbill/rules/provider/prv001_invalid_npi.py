"""PRV001 invalid-npi."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.provider._facts import npi_problem
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("PRV001", "invalid-npi", "provider", Severity.ERROR, since="0.1.0")
def invalid_npi(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: An NPI is mistyped: it is not a valid National Provider Identifier.
    What it checks: the NPI of the billing, rendering and referring providers and every line's
    rendering_npi is 10 digits, starts with 1 or 2, and has the right Luhn check digit.
    Why payers deny it: a malformed NPI is rejected at the clearinghouse front end; payers deny
    with CARC 206/207/208 (NPI missing, invalid, not matched). A wrong check digit is almost
    always a typo.
    Example: rendering_provider.npi "1245319590" (check digit should be 9).
    Fix: copy the NPI from NPPES or the provider's enrolment record.
    Source: 45 CFR 162.406 (NPI standard); CMS "Requirements for NPI Check Digit" (Luhn over 80840 + the first nine digits); ASC X12 837P NM109 (loops 2010AA, 2310A, 2310B, 2420A).
    """
    named = [("the billing provider's NPI", claim.billing_provider.npi)]
    if (rendering := claim.rendering_provider) is not None:
        who = f"{rendering.first_name} {rendering.last_name}"
        named.append((f"the rendering therapist {who}'s NPI", rendering.npi))
    if (referring := claim.referring_provider) is not None:
        who = f"{referring.first_name} {referring.last_name}"
        named.append((f"the referring provider {who}'s NPI", referring.npi))
    for field, value in named:
        problem = npi_problem(value)
        if problem is not None:
            yield invalid_npi.finding(
                f"{field} {value} is not a valid NPI: {problem}",
                fix=Fix(f"correct {field} from NPPES"),
            )
    for i, line in enumerate(claim.lines):
        if line.rendering_npi is None:
            continue
        problem = npi_problem(line.rendering_npi)
        if problem is not None:
            yield invalid_npi.finding(
                f"{wording.line(claim, i)}: its rendering NPI {line.rendering_npi} is not a "
                f"valid NPI: {problem}",
                line=i,
                fix=Fix(f"correct line {i + 1}'s rendering NPI from NPPES"),
            )
